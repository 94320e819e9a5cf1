// How many results the app has stored, read from IndexedDB inside the page as the app keeps them.
import type { Page } from 'playwright-core';

/** The count of the lenscribe-results store. */
export function countStoredResults(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('lenscribe-results');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('results').objectStore('results').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}
