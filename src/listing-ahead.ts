// The page's first script, loaded beside the app's bundle (vite.config.ts, listingAhead): it only
// starts reading the library's listing, so the list can be shown as soon as the app has started.
import { readListingAhead } from './lib/library/listing-ahead.ts';

readListingAhead();
