import v8 from "node:v8";

/**
 * For a process that exists to export (the command line). Between full collections V8 lets the old generation grow
 * to several times what is live when collecting is cheap; an export reads page after short-lived page, so its
 * footprint would climb towards that ceiling and look as if it grew with the number of cases. Letting the heap
 * grow by at most half keeps the process near what is live, for a few more collections of a small heap. V8 reads
 * the setting whenever it sizes the heap, so it takes effect at once. Not for the bot: it tunes the whole process.
 */
export function keepHeapNearLiveSize(): void {
  v8.setFlagsFromString("--heap-growing-percent=50");
}
