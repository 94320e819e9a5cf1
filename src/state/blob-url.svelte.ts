// An object URL for a Blob loaded from the library, made while a component shows it and revoked
// when it stops (or when the Blob it should show changes).

/** A reactive object URL for `load()`'s Blob; call from a component's script. */
export function useBlobUrl(load: () => Promise<Blob | undefined>): { readonly url: string | undefined } {
  let url = $state<string>();
  $effect(() => {
    let isStale = false;
    let made: string | undefined;
    url = undefined;
    void load().then((blob) => {
      if (isStale || !blob) return;
      made = URL.createObjectURL(blob);
      url = made;
    });
    return () => {
      isStale = true;
      if (made) URL.revokeObjectURL(made);
    };
  });
  return {
    get url() {
      return url;
    },
  };
}
