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
 * Turns one generation's listener callbacks and result into {@link GenerateEvent}s, in order: text deltas and
 * progress live; each image or part of another modality after its progress; {@link Finished} last. The SDK
 * hands out images and parts only in the final result, so text that follows the first of them is held back and
 * sent, in order, with them; progress keeps streaming meanwhile. Every generated part is sent: an image as
 * {@code image}, any other as {@code part}. Called on the model thread only.
 */
final class GenerationStreamer implements GenerationListener {
    private final StreamObserver<GenerateEvent> out;
    private final @Nullable PluginParts plugins;
    private final boolean rawParts;
    private boolean imageStarted;

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
        out.onNext(GenerateEvent.newBuilder().setProgress(ImageProgress.newBuilder()
                .setStep(step.step()).setTotalSteps(step.totalSteps())
                .setImageIndex(step.imageIndex()).setTimestep(step.timestep()).setModality(step.modality())).build());
    }

    /** Sends what was held back, the images and the final event, then completes the stream. */
    void finish(GenerationResult result) {
        boolean afterFirstImage = false;
        for (Part p : result.parts()) {
            if (p instanceof ImagePart image) {
                afterFirstImage = true;
                out.onNext(GenerateEvent.newBuilder().setImage(ImageDataCodec.encode(image.image())).build());
            } else if (p instanceof ModalityPart m) {
                afterFirstImage = true;
                out.onNext(GenerateEvent.newBuilder().setPart(plugins == null || rawParts ? ModalityDataCodec.raw(m)
                        : plugins.encode(m, false)).build());
            } else if (afterFirstImage && p instanceof TextPart t && !t.text().isEmpty()) {
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
