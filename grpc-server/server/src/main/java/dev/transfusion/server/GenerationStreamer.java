package dev.transfusion.server;

import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.server.v1.Finished;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.ImageProgress;
import dev.transfusion.server.v1.TextDelta;
import io.grpc.stub.StreamObserver;
import java.util.Locale;

/**
 * Turns one generation's listener callbacks and result into {@link GenerateEvent}s, in order: text deltas and
 * image progress live; each image after its progress; {@link Finished} last. The SDK hands out images only in
 * the final result, so text that follows the first image is held back and sent, in order, with the images;
 * progress keeps streaming meanwhile. Called on the model thread only.
 */
final class GenerationStreamer implements GenerationListener {
    private final StreamObserver<GenerateEvent> out;
    private boolean imageStarted;

    GenerationStreamer(StreamObserver<GenerateEvent> out) {
        this.out = out;
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
                .setImageIndex(step.imageIndex()).setTimestep(step.timestep())).build());
    }

    /** Sends what was held back, the images and the final event, then completes the stream. */
    void finish(GenerationResult result) {
        boolean afterFirstImage = false;
        for (Part p : result.parts()) {
            if (p instanceof ImagePart image) {
                afterFirstImage = true;
                out.onNext(GenerateEvent.newBuilder().setImage(ImageDataCodec.encode(image.image())).build());
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
