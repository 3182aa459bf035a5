package dev.transfusion.server;

import dev.transfusion.api.GenerationResult;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One asynchronous Generate call as a {@link CompletableFuture}: events go to the collector as they arrive,
 * the future completes with the result, and cancelling the future cancels the call (and so the work on the
 * server).
 */
final class GenerateCall implements ClientResponseObserver<GenerateRequest, GenerateEvent> {
    private final GenerateEventCollector collector;
    private final Function<StatusRuntimeException, RuntimeException> translate;
    private final CompletableFuture<GenerationResult> future = new CompletableFuture<>();

    private GenerateCall(GenerateEventCollector collector,
                         Function<StatusRuntimeException, RuntimeException> translate) {
        this.collector = collector;
        this.translate = translate;
    }

    static CompletableFuture<GenerationResult> start(TransfusionGrpc.TransfusionStub stub, GenerateRequest request,
                                                     GenerateEventCollector collector,
                                                     Function<StatusRuntimeException, RuntimeException> translate) {
        GenerateCall call = new GenerateCall(collector, translate);
        stub.generate(request, call);
        return call.future;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<GenerateRequest> requests) {
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                requests.cancel("cancelled by the caller", null);
            }
        });
    }

    @Override
    public void onNext(GenerateEvent event) {
        try {
            collector.accept(event);
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        future.completeExceptionally(t instanceof StatusRuntimeException s ? translate.apply(s) : t);
    }

    @Override
    public void onCompleted() {
        future.complete(collector.result());
    }
}
