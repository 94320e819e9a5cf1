// Which of a server's requests it is working on, and which wait in its queue. Ollama answers
// OLLAMA_NUM_PARALLEL requests per model and queues the rest in arrival order (llama-server's
// slots do the same; vLLM would run it alongside instead), so the queue keeps one request waiting there: the model
// goes from one reply to the next without waiting on the page. A waiting request is not being
// answered, so its first-text clock must not run, and the page must not say it is being read.

/** One request's place in its server's line. */
export interface LinePlace {
  /** True while the server is, by every sign the page has, working on this request. */
  readonly isServed: boolean;
  /** Call `listener` after each change of isServed; returns the function that stops listening. */
  onChange(listener: () => void): () => void;
  /** Its first piece of reply arrived: the server works on it, whatever the line says. */
  markAnswering(): void;
  /** The request ended (answered, failed or closed): the next in line moves up. */
  leave(): void;
}

class Place implements LinePlace {
  isServed = false;
  isAnswering = false;
  readonly #listeners = new Set<() => void>();
  readonly #line: ServerLine;

  constructor(line: ServerLine) {
    this.#line = line;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  markAnswering(): void {
    if (this.isAnswering) return;
    this.isAnswering = true;
    this.#line.update();
  }

  leave(): void {
    this.#line.remove(this);
  }

  /** Tell the listeners that isServed changed. */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * The requests sent to one server, in the order they were sent. The server works on as many as its
 * concurrency: first those that have started answering (their text proves it, even when they
 * overtook an earlier request on the way), then the oldest of the others.
 */
export class ServerLine {
  readonly #concurrency: () => number;
  #places: Place[] = [];

  /** `concurrency`: how many requests the server answers at once (read at each change). */
  constructor(concurrency: () => number) {
    this.#concurrency = concurrency;
  }

  /** Requests in the line, answered or waiting. */
  get length(): number {
    return this.#places.length;
  }

  /** A request joins the line as it is sent. */
  join(): LinePlace {
    const place = new Place(this);
    this.#places.push(place);
    this.update();
    return place;
  }

  /** Take a place out (Place.leave). */
  remove(place: Place): void {
    const index = this.#places.indexOf(place);
    if (index < 0) return;
    this.#places.splice(index, 1);
    place.isServed = false;
    this.update();
  }

  /** Work out again who is served, telling each place whose state changed. */
  update(): void {
    let free = Math.max(1, this.#concurrency()) - this.#places.filter((p) => p.isAnswering).length;
    const served = new Set<Place>();
    for (const place of this.#places) {
      if (place.isAnswering) served.add(place);
      else if (free > 0) {
        served.add(place);
        free--;
      }
    }
    const changed = this.#places.filter((place) => place.isServed !== served.has(place));
    for (const place of changed) place.isServed = !place.isServed;
    // Told after every flag is set: a listener may join or leave, which updates again.
    for (const place of changed) place.notify();
  }
}
