package dev.transfusion.server;

import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.server.v1.Finished;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.ImageProgress;
import dev.transfusion.server.v1.TextDelta;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Turns one generation's listener callbacks and result into {@link GenerateEvent}s, in order: text deltas,
 * progress (with previews when asked for) and each image or part of another modality as it happens (the engine
 * hands each span out when it is decoded, {@code onPart}, and the text after it streams in place);
 * {@link Finished} last. A model that hands out parts only in its result (one that does not call {@code onPart})
 * still loses nothing: text after its first part is held back and sent, in order, with the parts at the end.
 * Every generated part is sent: an image as {@code image}, any other as {@code part}. Called on the model thread.
 */
final class GenerationStreamer implements GenerationListener {
    private final StreamObserver<GenerateEvent> out;
    private final @Nullable PluginParts plugins;
    private final boolean rawParts;
    private boolean imageStarted;   // a span is being drawn and has not been handed out yet
    private int partsSent;          // spans sent as they were drawn (onPart)

    /** Parts of modalities other than image go out as raw values. */
    GenerationStreamer(StreamObserver<GenerateEvent> out) {
        this(out, null, true);
    }

    /**
     * Parts of modalities other than image go out encoded by {@code plugins} (raw values where none writes
     * them), or raw when {@code rawParts}.
     */
    GenerationStreamer(StreamObserver<GenerateEvent> out, @Nullable PluginParts plugins, boolean rawParts) {
        this.out = out;
        this.plugins = plugins;
        this.rawParts = rawParts || plugins == null;
    }

    @Override
    public void onToken(int tokenId, String text) {
        if (!imageStarted && !text.isEmpty()) {
            out.onNext(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(text)).build());
        }
    }

    @Override
    public void onDiffusionStep(DiffusionStep step) {
        imageStarted = true;
        ImageProgress.Builder p = ImageProgress.newBuilder().setStep(step.step()).setTotalSteps(step.totalSteps())
                .setImageIndex(step.imageIndex()).setTimestep(step.timestep()).setModality(step.modality());
        if (step.preview() != null) {
            p.setPreview(ImageDataCodec.encode(step.preview()));
        }
        out.onNext(GenerateEvent.newBuilder().setProgress(p).build());
    }

    @Override
    public void onPart(int index, Part part) {
        if (index != partsSent) {
            return;   // out of order (a model's own bookkeeping): the result sends it
        }
        send(part);
        partsSent++;
        imageStarted = false;
    }

    private void send(Part p) {
        if (p instanceof ImagePart image) {
            out.onNext(GenerateEvent.newBuilder().setImage(ImageDataCodec.encode(image.image())).build());
        } else if (p instanceof ModalityPart m) {
            out.onNext(GenerateEvent.newBuilder().setPart(plugins == null || rawParts ? ModalityDataCodec.raw(m)
                    : plugins.encode(m, false)).build());
        }
    }

    /** Sends what was held back, the images and the final event, then completes the stream. */
    void finish(GenerationResult result) {
        boolean afterFirstUnsent = false;
        int spans = 0;
        for (Part p : result.parts()) {
            if (p instanceof ImagePart || p instanceof ModalityPart) {
                if (spans++ >= partsSent) {   // not handed out while it was drawn
                    afterFirstUnsent = true;
                    send(p);
                }
            } else if (afterFirstUnsent && p instanceof TextPart t && !t.text().isEmpty()) {
                out.onNext(GenerateEvent.newBuilder().setText(TextDelta.newBuilder().setText(t.text())).build());
            }
        }
        out.onNext(GenerateEvent.newBuilder().setFinished(Finished.newBuilder()
                .setFinishReason(finishReason(result))
                .setPromptTokens(result.usage().promptTokens())
                .setGeneratedTokens(result.usage().generatedTokens())
                .setImages(result.usage().images())
                .setSeed(result.usage().seed())).build());
        out.onCompleted();
    }

    /** The wire spelling of a result's finish reason ("end_of_sequence", "max_tokens", ...). */
    static String finishReason(GenerationResult result) {
        return result.finishReason().name().toLowerCase(Locale.ROOT);
    }
}
