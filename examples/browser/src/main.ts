import { runDemo } from './demo.ts';

const root = document.getElementById('app')!;
runDemo(root).catch((error) => {
  root.textContent = String(error?.stack ?? error);
});
