// The names of Lenscribe's IndexedDB databases, apart from the store code so the page's first
// script (listing-ahead.ts) can read the listing without loading it.

/** Every IndexedDB database Lenscribe uses: one idb-keyval store each. */
export const DATABASES = {
  images: ['lenscribe-images', 'images'],
  blobs: ['lenscribe-blobs', 'blobs'],
  thumbnails: ['lenscribe-thumbnails', 'thumbnails'],
  previews: ['lenscribe-previews', 'previews'],
  results: ['lenscribe-results', 'results'],
  jobs: ['lenscribe-jobs', 'jobs'],
  settings: ['lenscribe-settings', 'settings'],
  documents: ['lenscribe-documents', 'documents'],
  listing: ['lenscribe-listing', 'listing'],
} as const;

/** The one record of the listing store: every image record, oldest added first. */
export const LISTING_KEY = 'images';
