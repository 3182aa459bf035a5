package dev.transfusion.server.http;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.ConcurrencyLimiter;
import dev.transfusion.server.ImageDecoding;
import dev.transfusion.server.RequestBudget;
import dev.transfusion.server.RequestImages;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP requests' way to the model, the same as the gRPC service's: the images are counted and sized from
 * their headers against the server's {@link RequestBudget}, decoded on the shared decoding pool under its
 * deadline, and only then does the work take a slot of the shared {@link ConcurrencyLimiter}; so gRPC and HTTP
 * callers wait in one queue and are refused by one limit.
 */
final class ModelGate {
    /** Model work in a slot; returns what to send once the slot is given back (null: nothing). */
    @FunctionalInterface
    interface Work {
        @Nullable Runnable run(TransfusionModel model, Cancellation cancellation);
    }

    private final Supplier<@Nullable TransfusionModel> model;
    private final ConcurrencyLimiter limiter;
    private final ImageDecoding decoding;
    private final RequestBudget budget;

    ModelGate(Supplier<@Nullable TransfusionModel> model, ConcurrencyLimiter limiter, ImageDecoding decoding,
              RequestBudget budget) {
        this.model = model;
        this.limiter = limiter;
        this.decoding = decoding;
        this.budget = budget;
    }

    /** The loaded model; 503 while it loads. */
    TransfusionModel model() {
        TransfusionModel m = model.get();
        if (m == null) {
            throw Status.UNAVAILABLE.withDescription("the model is still loading; retry when /readyz answers 200")
                    .asRuntimeException();
        }
        return m;
    }

    /**
     * Checks {@code images}, decodes them (off this thread when there are any), lets {@code prepare} build the
     * work from them and runs it in a model slot; any failure answers {@code ex}.
     */
    void submit(Exchange ex, String route, List<RequestImages.Named> images, Function<RequestImages, Work> prepare) {
        TransfusionModel m = model();
        RequestImages checked;
        try {
            checked = RequestImages.check(images, budget, ex.decoding());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {   // the pixel budget: too large
                throw new OpenAiException(OpenAiError.tooLarge(e.getStatus().getDescription()));
            }
            throw e;
        } catch (InvalidInputException e) {
            throw withParam(e, images);
        }
        Runnable work = () -> {
            Work w;
            try {
                w = prepare.apply(checked);
            } catch (InvalidInputException e) {
                throw withParam(e, images);
            }
            admit(ex, route, m, w);
        };
        if (checked.isEmpty()) {
            work.run();
            return;
        }
        decoding.submit(ex.decoding(), () -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                if (ex.isCancelled()) {
                    return;   // the client is gone
                }
                ex.fail(e instanceof CancellationException
                        ? OpenAiError.tooLarge("decoding the request's images took longer than the "
                                + decoding.decodeTime().toMillis() + " ms a request may take")
                        : OpenAiError.of(e, route));
            }
        });
    }

    private void admit(Exchange ex, String route, TransfusionModel m, Work work) {
        ex.queued(limiter.admitThen(() -> {
            if (ex.isCancelled()) {
                return null;   // the client left while it waited
            }
            try {
                return work.run(m, ex.cancellation());
            } catch (RuntimeException | Error e) {
                return () -> ex.fail(OpenAiError.of(e, route));
            }
        }));
    }

    /** The image field an SDK message starts with becomes the error's param. */
    private static OpenAiException withParam(InvalidInputException e, List<RequestImages.Named> images) {
        String message = String.valueOf(e.getMessage());
        @Nullable String param = images.stream().map(RequestImages.Named::field).filter(message::startsWith).findFirst()
                .orElse(null);
        return new OpenAiException(OpenAiError.badRequest(message, param));
    }
}
