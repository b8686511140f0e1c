import { runDemo } from './demo.ts';

// `?reps=N`: timed calls of each variant (default 7).
const reps = Number(new URLSearchParams(location.search).get('reps')) || undefined;
const root = document.getElementById('app')!;
runDemo(root, { reps }).catch((error) => {
  root.textContent = String(error?.stack ?? error);
});
