package dev.transfusion.server;

import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Usage;
import dev.transfusion.server.v1.Finished;
import dev.transfusion.server.v1.GenerateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The client side of a Generate stream: forwards events to a {@link GenerationListener} as they arrive and
 * assembles the {@link GenerationResult}. Token ids do not travel, so {@code onToken} gets {@link #NO_TOKEN_ID};
 * the diffusion timestep does not travel either and reads 0.
 */
final class GenerateEventCollector {
    /** The token id passed to listeners: the wire carries text, not ids. */
    static final int NO_TOKEN_ID = -1;

    private final GenerationListener listener;
    private final List<Part> parts = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int imageIndex;
    private int spans;          // parts of any continuous modality so far: onPart's index
    private int textDeltas;
    private @Nullable Finished finished;

    GenerateEventCollector(GenerationListener listener) {
        this.listener = listener;
    }

    void accept(GenerateEvent e) {
        switch (e.getEventCase()) {
            case TEXT -> {
                text.append(e.getText().getText());
                textDeltas++;
                listener.onToken(NO_TOKEN_ID, e.getText().getText());
            }
            case PROGRESS -> listener.onDiffusionStep(new DiffusionStep(e.getProgress().getImageIndex(),
                    e.getProgress().getStep(), e.getProgress().getTotalSteps(), e.getProgress().getTimestep(),
                    e.getProgress().hasPreview()
                            ? ImageDataCodec.decode(e.getProgress().getPreview(), "GenerateEvent.progress.preview") : null,
                    // a server from before the field draws images only
                    e.getProgress().getModality().isEmpty() ? ImagePart.MODALITY : e.getProgress().getModality()));
            case IMAGE -> {
                flushText();
                Part image = new ImagePart(ImageDataCodec.decode(e.getImage(), "GenerateEvent.image"));
                listener.onPart(spans++, image);
                parts.add(image);
                imageIndex++;
            }
            case PART -> {
                flushText();
                // the client asks for raw parts (GenerateRequest.raw_parts); an image sent as a part decodes too
                Part part = ModalityDataCodec.toPart(e.getPart(), "GenerateEvent.part");
                listener.onPart(spans++, part);
                parts.add(part);
                if (part instanceof ImagePart) {
                    imageIndex++;
                }
            }
            case FINISHED -> finished = e.getFinished();
            case EVENT_NOT_SET -> {
                // an event kind from a newer server: nothing this client can show
            }
        }
    }

    /** The result once the stream completed; a stream without Finished counts as cancelled. */
    GenerationResult result() {
        flushText();
        Finished f = finished;
        if (f == null) {
            return cancelled();
        }
        return new GenerationResult(parts, reason(f.getFinishReason()),
                new Usage(f.getPromptTokens(), f.getGeneratedTokens(), f.getImages(), f.getSeed()));
    }

    /** What arrived before the caller cancelled. */
    GenerationResult cancelled() {
        flushText();
        return new GenerationResult(parts, FinishReason.CANCELLED, new Usage(0, textDeltas, imageIndex, 0));
    }

    private void flushText() {
        if (text.length() > 0) {
            parts.add(new TextPart(text.toString()));
            text.setLength(0);
        }
    }

    private static FinishReason reason(String wire) {
        try {
            return FinishReason.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return FinishReason.END_OF_SEQUENCE;   // a reason from a newer server: it did end normally
        }
    }
}
