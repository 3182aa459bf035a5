package dev.transfusion.server;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A deterministic stand-in for a model: fast or slow on demand, and it honours {@link Cancellation} at every
 * token and denoising step as the real one does.
 *
 * <p>Text replies are word by word: a prompt that is an image alone gets {@code "a red square WxH"}, an image
 * and a question {@code "answer: QUESTION"}, text {@code "echo: TEXT"}. MODE_IMAGE (or a prompt containing
 * "draw") first draws a 4x4 image whose colour comes from the seed, then says "here it is". A prompt containing
 * "sing a tone" first draws a 1 s "audio" clip ({@link #tone}), then the image; MODE_IMAGE with modality "audio" draws
 * the clip alone; "depth map" draws a 2x3 part of the "depth" modality, which no plugin on the server writes,
 * and "broken tone" an "audio" part of shape 2x3, which the audio plugin cannot write as WAV. A
 * prompt that is one part of another modality gets {@code "a MODALITY part of N values"}.
 */
final class FakeModel implements TransfusionModel {
    volatile long stepMillis;
    volatile long tokenMillis;
    final AtomicInteger generateCalls = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    /** Released once per generation as it starts. */
    final Semaphore started = new Semaphore(0);
    volatile boolean closed;
    /** The images of the last prompt generated from, as the model received them. */
    volatile List<RgbImage> lastImages = List.of();
    /** The last prompt generated from, as the model received it. */
    volatile Document lastPrompt = Document.of();
    /** Scoring passes run (one per timestep). */
    final AtomicInteger scoreSteps = new AtomicInteger();
    /** The name info() gives: tells apart the servers of one client (ScaleOutTest). */
    volatile String name = "fake";

    FakeModel(long stepMillis, long tokenMillis) {
        this.stepMillis = stepMillis;
        this.tokenMillis = tokenMillis;
    }

    @Override
    public GenerationResult generate(Document prompt, GenerationOptions o, GenerationListener listener,
                                     Cancellation cancellation) {
        generateCalls.incrementAndGet();
        lastPrompt = prompt;
        lastImages = prompt.parts().stream().filter(p -> p instanceof ImagePart).map(p -> ((ImagePart) p).image())
                .toList();
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        started.release();
        try {
            return run(prompt, o, listener, cancellation);
        } finally {
            running.decrementAndGet();
        }
    }

    private GenerationResult run(Document prompt, GenerationOptions o, GenerationListener listener,
                                 Cancellation cancellation) {
        long seed = o.seed() != null ? o.seed() : 42L;
        String text = prompt.parts().stream().filter(p -> p instanceof TextPart).map(p -> ((TextPart) p).text())
                .collect(Collectors.joining());
        List<Part> parts = new ArrayList<>();
        int images = 0;
        String reply;
        boolean sing = text.contains("sing a tone") || (o.mode() == Mode.IMAGE && "audio".equals(o.modality()));
        boolean depth = o.mode() == Mode.AUTO && text.contains("depth map");
        boolean broken = o.mode() == Mode.AUTO && text.contains("broken tone");
        if (sing || depth || broken) {
            String m = depth ? "depth" : "audio";
            for (int k = 1; k <= o.diffusionSteps(); k++) {
                if (cancellation.isCancelled()) {
                    return cancelled(parts, prompt, 0, images, seed);
                }
                pause(stepMillis);
                listener.onDiffusionStep(new DiffusionStep(0, k, o.diffusionSteps(), 1000 - k, null, m));
            }
            parts.add(sing ? tone() : new ModalityPart(m, new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        }
        boolean drawsImage = o.mode() == Mode.IMAGE ? !"audio".equals(o.modality())
                : o.mode() == Mode.AUTO && text.contains("draw");
        if (drawsImage) {
            int index = parts.size();   // after the clip, when there is one
            for (int k = 1; k <= o.diffusionSteps(); k++) {
                if (cancellation.isCancelled()) {
                    return cancelled(parts, prompt, 0, images, seed);
                }
                pause(stepMillis);
                listener.onDiffusionStep(new DiffusionStep(index, k, o.diffusionSteps(), 1000 - k, null));
            }
            parts.add(new ImagePart(solid(4, 4, (int) (seed & 0xffffff))));
            images++;
        }
        if (!parts.isEmpty()) {
            reply = "here it is";
        } else if (prompt.parts().size() == 1 && prompt.parts().get(0) instanceof ModalityPart mp) {
            reply = "a " + mp.modality() + " part of " + mp.values().length + " values";
        } else if (!prompt.parts().isEmpty() && prompt.parts().get(0) instanceof ModalityPart mp) {
            reply = "answer about " + mp.modality() + ": " + text;
        } else if (prompt.parts().size() == 1 && prompt.parts().get(0) instanceof ImagePart im) {
            reply = "a red square " + im.image().width() + "x" + im.image().height();
        } else if (!prompt.parts().isEmpty() && prompt.parts().get(0) instanceof ImagePart) {
            reply = "answer: " + text;
        } else {
            reply = "echo: " + text;
        }
        StringBuilder out = new StringBuilder();
        String[] words = reply.split(" ");
        int generated = 0;
        FinishReason finish = FinishReason.END_OF_SEQUENCE;
        for (int i = 0; i < words.length; i++) {
            if (cancellation.isCancelled()) {
                flush(parts, out);
                return cancelled(parts, prompt, generated, images, seed);
            }
            if (generated == o.maxTokens()) {
                finish = FinishReason.MAX_TOKENS;
                break;
            }
            pause(tokenMillis);
            String token = (i == 0 && images == 0 ? "" : " ") + words[i];
            String stop = o.stop().stream().filter(s -> (out + token).contains(s)).findFirst().orElse(null);
            generated++;
            if (stop != null) {
                String kept = (out + token).substring(0, (out + token).indexOf(stop));
                listener.onToken(i, kept.substring(out.length()));
                out.setLength(0);
                out.append(kept);
                finish = FinishReason.STOP_STRING;
                break;
            }
            listener.onToken(i, token);
            out.append(token);
        }
        flush(parts, out);
        return new GenerationResult(parts, finish, new Usage(promptTokens(prompt), generated, images, seed));
    }

    private GenerationResult cancelled(List<Part> parts, Document prompt, int generated, int images, long seed) {
        cancelled.incrementAndGet();
        return new GenerationResult(parts, FinishReason.CANCELLED,
                new Usage(promptTokens(prompt), generated, images, seed));
    }

    private static void flush(List<Part> parts, StringBuilder out) {
        if (out.length() > 0) {
            parts.add(new TextPart(out.toString()));
        }
    }

    private static int promptTokens(Document prompt) {
        return prompt.parts().stream().mapToInt(p -> p instanceof TextPart t ? t.text().length() : 16).sum();
    }

    /** The clip "sing" draws: 1 s of a 440 Hz tone at 8 kHz, half scale, as the audio plugin reads WAV. */
    static ModalityPart tone() {
        float[] samples = new float[8000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        return new ModalityPart("audio", new int[] {samples.length}, samples);
    }

    static RgbImage solid(int w, int h, int rgb) {
        int[] px = new int[w * h];
        Arrays.fill(px, rgb);
        return RgbImage.fromPackedRgb(w, h, px);
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String caption(RgbImage image, GenerationOptions options) {
        throw new AssertionError("the server captions through generate, so that deadlines reach the model");
    }

    @Override
    public String answer(RgbImage image, String question, GenerationOptions options) {
        throw new AssertionError("the server answers through generate, so that deadlines reach the model");
    }

    @Override
    public TextScore scoreText(Document context, String text) {
        int[] ids = text.chars().toArray();
        double[] lp = new double[ids.length];
        Arrays.fill(lp, -0.5);
        return new TextScore(ids, lp, -0.5 * ids.length, Math.exp(0.5));
    }

    @Override
    public ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed) {
        return scoreImage(caption, image, timesteps, seed, new Cancellation());
    }

    /** One pass of {@code stepMillis} per timestep, stopping at the next once cancelled. */
    @Override
    public ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed, Cancellation cancel) {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            for (int t : timesteps) {
                if (cancel.isCancelled()) {
                    cancelled.incrementAndGet();
                    throw new java.util.concurrent.CancellationException("scoreImage cancelled");
                }
                pause(stepMillis);
                scoreSteps.incrementAndGet();
            }
        } finally {
            running.decrementAndGet();
        }
        double[] losses = Arrays.stream(timesteps).mapToDouble(t -> t / 1000.0 + seed).toArray();
        return new ImageScore(timesteps, losses, Arrays.stream(losses).average().orElse(0));
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(name, 1234, 100, Map.of("text", "1.0", "image", "1.0", "audio", "0.2.0", "depth", "0.1"),
                Map.of("dim", "8", "max_length", "128", "image_size", "4", "diffusion_steps", "1000",
                        "image.latent", "4x2x2", "image.patch", "1x1",
                        "audio.latent", "1x32x64", "audio.patch", "4x8"));
    }

    @Override
    public void close() {
        closed = true;
    }
}
