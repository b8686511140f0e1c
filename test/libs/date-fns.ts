/** date-fns: one ES module per function (locales and fp/ are not exported by the index). */
import type { LibrarySpec } from './harness.ts';

export const dateFns: LibrarySpec = {
  name: 'date-fns',
  version: '4.4.0',
  sources: '.',
  entry: 'index.js',
  dates: true,
  strings: ['yyyy-MM-dd', "HH:mm:ss.SSS 'at' EEEE", 'PPpp', 'do MMM yy', 'Qo ww RRRR', 'PP'],
  // one element per day, hour, minute… of an interval
  sized: [
    'eachDayOfInterval',
    'eachHourOfInterval',
    'eachMinuteOfInterval',
    'eachMonthOfInterval',
    'eachQuarterOfInterval',
    'eachWeekOfInterval',
    'eachWeekendOfInterval',
    'eachYearOfInterval',
    // date-fns itself loops without end from the last valid date: (new Date(8.64e15), 70)
    'differenceInBusinessDays',
  ],
};
