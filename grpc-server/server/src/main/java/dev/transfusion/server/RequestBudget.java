package dev.transfusion.server;

import java.time.Duration;

/**
 * What one request may cost the server before it reaches a model slot, so that a few hundred kilobytes on the
 * wire cannot take the server down for others: its images are counted and sized from their headers, then
 * decoded on a pool of their own under a deadline.
 *
 * @param maxPixels           pixels of all the images of one request together, from their headers
 * @param maxImages           images in one request
 * @param decodeTime          decoding time of one request's images; past it RESOURCE_EXHAUSTED
 * @param decodingThreads     threads that decode images, apart from those that serve health and small calls
 * @param decodingQueue       requests waiting to decode; past them RESOURCE_EXHAUSTED
 * @param maxStreamsPerConnection concurrent calls one connection may open (HTTP/2 MAX_CONCURRENT_STREAMS)
 */
public record RequestBudget(long maxPixels, int maxImages, Duration decodeTime, int decodingThreads,
                            int decodingQueue, int maxStreamsPerConnection) {
    /** 16 Mi pixels (one 4096 x 4096 image), 16 images, 10 s, 2 threads, 8 waiting, 16 streams. */
    public static final RequestBudget DEFAULTS = new RequestBudget(16L * 1024 * 1024, 16, Duration.ofSeconds(10),
            2, 8, 16);

    public RequestBudget {
        check(maxPixels >= 1, "max pixels per request must be at least 1, got " + maxPixels);
        check(maxImages >= 0, "max images per request must be 0 or more, got " + maxImages);
        check(decodeTime.toMillis() >= 1, "decode time per request must be positive, got " + decodeTime);
        check(decodingThreads >= 1, "decoding threads must be at least 1, got " + decodingThreads);
        check(decodingQueue >= 0, "decoding queue must be 0 or more, got " + decodingQueue);
        check(maxStreamsPerConnection >= 1, "max streams per connection must be at least 1, got "
                + maxStreamsPerConnection);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** With other image limits per request. */
    public RequestBudget withImages(long pixels, int images) {
        return new RequestBudget(pixels, images, decodeTime, decodingThreads, decodingQueue, maxStreamsPerConnection);
    }

    /** With another decoding deadline per request. */
    public RequestBudget withDecodeTime(Duration v) {
        return new RequestBudget(maxPixels, maxImages, v, decodingThreads, decodingQueue, maxStreamsPerConnection);
    }

    /** With another decoding pool. */
    public RequestBudget withDecoding(int threads, int queue) {
        return new RequestBudget(maxPixels, maxImages, decodeTime, threads, queue, maxStreamsPerConnection);
    }

    /** With another stream limit per connection. */
    public RequestBudget withMaxStreamsPerConnection(int v) {
        return new RequestBudget(maxPixels, maxImages, decodeTime, decodingThreads, decodingQueue, v);
    }
}
