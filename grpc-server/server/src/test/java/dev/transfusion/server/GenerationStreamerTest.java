package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Usage;
import dev.transfusion.server.v1.GenerateEvent;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event order of a generation with text around two images. */
class GenerationStreamerTest {

    @Test
    void textBeforeTheFirstImageIsLiveAndEverythingAfterKeepsItsOrder() {
        List<String> events = new ArrayList<>();
        List<GenerateEvent> raw = new ArrayList<>();
        GenerationStreamer s = new GenerationStreamer(new StreamObserver<>() {
            @Override
            public void onNext(GenerateEvent e) {
                raw.add(e);
                events.add(switch (e.getEventCase()) {
                    case TEXT -> "text:" + e.getText().getText();
                    case PROGRESS -> "progress:" + e.getProgress().getStep() + "/" + e.getProgress().getTotalSteps();
                    case IMAGE -> "image:" + ImageDataCodec.decode(e.getImage(), "image").width();
                    case PART -> "part:" + e.getPart().getModality();
                    case FINISHED -> "finished:" + e.getFinished().getFinishReason();
                    case EVENT_NOT_SET -> "?";
                });
            }

            @Override
            public void onError(Throwable t) {
                events.add("error");
            }

            @Override
            public void onCompleted() {
                events.add("completed");
            }
        });
        s.onToken(1, "a");
        s.onToken(2, "");   // mid-character: nothing to send
        s.onToken(3, " cat");
        s.onDiffusionStep(new DiffusionStep(0, 1, 2, 999, null));
        s.onDiffusionStep(new DiffusionStep(0, 2, 2, 0, null));
        s.onToken(4, " and");   // after the first image: held back, sent from the result
        s.onDiffusionStep(new DiffusionStep(1, 1, 1, 0, null));
        s.onToken(5, " done");
        s.finish(new GenerationResult(List.of(new TextPart("a cat"), new ImagePart(FakeModel.solid(2, 2, 0)),
                new TextPart(" and"), new ImagePart(FakeModel.solid(3, 3, 0)), new TextPart(" done")),
                FinishReason.MAX_TOKENS, new Usage(4, 5, 2, 9)));
        assertEquals(List.of("text:a", "text: cat", "progress:1/2", "progress:2/2", "progress:1/1", "image:2",
                "text: and", "image:3", "text: done", "finished:max_tokens", "completed"), events);
        var finished = raw.get(raw.size() - 1).getFinished();
        assertEquals(List.of(4, 5, 2, 9L), List.of(finished.getPromptTokens(), finished.getGeneratedTokens(),
                finished.getImages(), finished.getSeed()));
    }

    @Test
    void aSpanHandedOutAsItIsDrawnIsSentAtOnceAndTheTextAfterItStreamsInPlace() {
        List<String> events = new ArrayList<>();
        GenerationStreamer s = new GenerationStreamer(new StreamObserver<>() {
            @Override
            public void onNext(GenerateEvent e) {
                events.add(switch (e.getEventCase()) {
                    case TEXT -> "text:" + e.getText().getText();
                    case PROGRESS -> "progress:" + e.getProgress().getStep() + (e.getProgress().hasPreview()
                            ? "+preview" + ImageDataCodec.decode(e.getProgress().getPreview(), "preview").width() : "");
                    case IMAGE -> "image:" + ImageDataCodec.decode(e.getImage(), "image").width();
                    case PART -> "part:" + e.getPart().getModality();
                    case FINISHED -> "finished";
                    case EVENT_NOT_SET -> "?";
                });
            }

            @Override
            public void onError(Throwable t) {
                events.add("error");
            }

            @Override
            public void onCompleted() {
                events.add("completed");
            }
        });
        s.onToken(1, "a cat");
        s.onDiffusionStep(new DiffusionStep(0, 1, 2, 999, FakeModel.solid(2, 2, 0)));
        s.onDiffusionStep(new DiffusionStep(0, 2, 2, 0, null));
        ImagePart first = new ImagePart(FakeModel.solid(2, 2, 0));
        s.onPart(0, first);
        s.onToken(2, " and");          // streams in place: its span is already out
        s.onDiffusionStep(new DiffusionStep(1, 1, 1, 0, null));
        s.onToken(3, " done");         // the second span was not handed out: held back, sent from the result
        s.finish(new GenerationResult(List.of(new TextPart("a cat"), first, new TextPart(" and"),
                new ImagePart(FakeModel.solid(3, 3, 0)), new TextPart(" done")), FinishReason.MAX_TOKENS,
                new Usage(4, 3, 2, 9)));
        assertEquals(List.of("text:a cat", "progress:1+preview2", "progress:2", "image:2", "text: and", "progress:1",
                "image:3", "text: done", "finished", "completed"), events);
    }
}
