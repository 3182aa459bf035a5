package dev.transfusion.server;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Part;
import dev.transfusion.server.RequestInputs.Checked;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.v1.AnswerRequest;
import dev.transfusion.server.v1.AnswerResponse;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.CaptionResponse;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.ImageScoreResult;
import dev.transfusion.server.v1.ModelInfo;
import dev.transfusion.server.v1.ScoreRequest;
import dev.transfusion.server.v1.ScoreResponse;
import dev.transfusion.server.v1.TextScoreRequest;
import dev.transfusion.server.v1.TextScoreResult;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code transfusion.v1.Transfusion} over a {@link TransfusionModel}. Each call is checked on a gRPC callback thread
 * (its images counted and sized from their headers against the {@link RequestBudget}), its images decoded on
 * a pool of their own ({@link ImageDecoding}), and only then does it run on the {@link ConcurrencyLimiter}'s
 * pool: a bad or costly request never takes a model slot, nor the threads that answer health checks.
 * Client cancellation, deadlines and a forced shutdown all cancel the call, which sets the SDK
 * {@link Cancellation}: the model stops at its next token or denoising step and frees its slot, and a call
 * still queued leaves the queue.
 */
public final class TransfusionService extends TransfusionGrpc.TransfusionImplBase {
    /** Score timesteps when the request gives none: spread over the schedule, clamped below its T. */
    static final int[] DEFAULT_SCORE_TIMESTEPS = {100, 300, 500, 700, 900};
    private static final int DEFAULT_SCHEDULE_STEPS = 1000;

    /** Most timesteps one image score may ask for (each is a pass over the image span). */
    static final int MAX_SCORE_TIMESTEPS = 64;

    private final ConcurrencyLimiter limiter;
    private final RequestBudget budget;
    private final ImageDecoding decoding;
    private final PayloadLimits payloadLimits;
    private final PluginParts plugins;
    private volatile @Nullable TransfusionModel model;

    /**
     * A service whose model work runs on {@code limiter} and whose images are decoded under {@code budget};
     * it answers UNAVAILABLE until {@link #attach}. Parts of other modalities are read and written by the
     * engine's plugins under {@link PayloadLimits#DEFAULTS}.
     */
    public TransfusionService(ConcurrencyLimiter limiter, RequestBudget budget) {
        this(limiter, budget, PayloadLimits.DEFAULTS, new PluginParts(Transfusion::registry));
    }

    /** As {@link #TransfusionService(ConcurrencyLimiter, RequestBudget)}, with the parts' limits and plugins. */
    public TransfusionService(ConcurrencyLimiter limiter, RequestBudget budget, PayloadLimits payloadLimits,
                              PluginParts plugins) {
        this.limiter = limiter;
        this.budget = budget;
        this.decoding = new ImageDecoding(budget);
        this.payloadLimits = payloadLimits;
        this.plugins = plugins;
    }

    /** The image decoding pool, which the server's HTTP port shares. */
    ImageDecoding decoding() {
        return decoding;
    }

    /** Stops decoding images (at shutdown). */
    void shutdown() {
        decoding.shutdown();
    }

    /** Starts serving {@code loaded}. */
    public void attach(TransfusionModel loaded) {
        this.model = loaded;
    }

    /** One unit of model work, run on the limiter's pool. */
    @FunctionalInterface
    private interface ModelCall<T> {
        T run(TransfusionModel model, Cancellation cancellation);
    }

    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateEvent> responses) {
        ServerCallStreamObserver<GenerateEvent> out = (ServerCallStreamObserver<GenerateEvent>) responses;
        CallCancellation cancel = CallCancellation.hook(out, limiter);
        try {
            TransfusionModel m = requireModel();
            GenerationOptions options = SamplingMessages.toOptions(request.getSampling(), request.getDiffusion(),
                    request.getMode()).toBuilder()
                    .modality(RequestParts.drawn(request.getModality(), m.info().modalities().keySet())).build();
            Checked inputs = check(m, RequestInputs.inChunks(request.getPromptList(), "prompt"), cancel.decoding());
            decodeThenAdmit(out, cancel, "Generate", inputs.needsPool(), () -> {
                Document prompt = PromptChunks.toDocument(request.getPromptList(), "prompt", false,
                        inputs.images()::decode, inputs::decode);
                admit(out, cancel, "Generate", () -> {
                    GenerationStreamer streamer = new GenerationStreamer(out, plugins, request.getRawParts());
                    GenerationResult result = m.generate(prompt, options, streamer, cancel.sdk());
                    return () -> {
                        if (!out.isCancelled()) {
                            streamer.finish(result);
                        }
                    };
                });
            });
        } catch (RuntimeException e) {
            out.onError(ExceptionStatus.of(e, "Generate").asRuntimeException());
        }
    }

    @Override
    public void caption(CaptionRequest request, StreamObserver<CaptionResponse> responses) {
        unary(responses, "Caption", () -> RequestInputs.subject(request.hasImage(), request.getImage(),
                request.hasPart(), request.getPart()), inputs -> {
            GenerationOptions options = textOptions(request.getSampling());
            Part subject = inputs.subject(request.hasPart(), request.getImage(), request.getPart());
            // The layout LoadedModel.caption uses, through generate: the response needs the usage and finish
            // reason, which caption() does not return.
            return (m, c) -> {
                GenerationResult r = m.generate(Document.of(subject), options, GenerationListener.NONE, c);
                return CaptionResponse.newBuilder().setText(r.text().trim())
                        .setFinishReason(GenerationStreamer.finishReason(r)).setUsage(usage(r)).build();
            };
        });
    }

    @Override
    public void answer(AnswerRequest request, StreamObserver<AnswerResponse> responses) {
        unary(responses, "Answer", () -> {
            if (request.getQuestion().isBlank()) {
                throw new InvalidInputException("question is empty");
            }
            return RequestInputs.subject(request.hasImage(), request.getImage(), request.hasPart(), request.getPart());
        }, inputs -> {
            GenerationOptions options = textOptions(request.getSampling());
            Part subject = inputs.subject(request.hasPart(), request.getImage(), request.getPart());
            // As LoadedModel.answer lays it out, through generate for the usage and finish reason
            Document prompt = Document.of(subject, new TextPart(request.getQuestion()));
            return (m, c) -> {
                GenerationResult r = m.generate(prompt, options, GenerationListener.NONE, c);
                return AnswerResponse.newBuilder().setText(r.text().trim())
                        .setFinishReason(GenerationStreamer.finishReason(r)).setUsage(usage(r)).build();
            };
        });
    }

    private static dev.transfusion.server.v1.Usage usage(GenerationResult r) {
        return dev.transfusion.server.v1.Usage.newBuilder().setPromptTokens(r.usage().promptTokens())
                .setGeneratedTokens(r.usage().generatedTokens()).setSeed(r.usage().seed()).build();
    }

    @Override
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> responses) {
        unary(responses, "Score", () -> switch (request.getTargetCase()) {
            case TEXT -> RequestInputs.inChunks(request.getText().getContextList(), "text.context");
            case IMAGE -> {
                if (request.getImage().getTimestepsCount() > MAX_SCORE_TIMESTEPS) {
                    throw new InvalidInputException("image.timesteps has " + request.getImage().getTimestepsCount()
                            + " steps; at most " + MAX_SCORE_TIMESTEPS + " are scored in one call");
                }
                yield RequestInputs.image(request.getImage().hasImage(), request.getImage().getImage(), "image.image");
            }
            case TARGET_NOT_SET -> throw new InvalidInputException("set text or image: there is nothing to score");
        }, inputs -> request.hasText() ? textScore(request.getText(), inputs)
                : imageScore(request.getImage(), inputs.images()));
    }

    @Override
    public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> responses) {
        // info() reads the configuration only: no model slot needed
        try {
            ModelInfo info = ModelInfoMessages.toMessage(requireModel().info());
            responses.onNext(info);
            responses.onCompleted();
        } catch (RuntimeException e) {
            responses.onError(ExceptionStatus.of(e, "GetModelInfo").asRuntimeException());
        }
    }

    private ModelCall<ScoreResponse> textScore(TextScoreRequest r, Checked inputs) {
        Document context = PromptChunks.toDocument(r.getContextList(), "text.context", true, inputs.images()::decode,
                inputs::decode);
        if (r.getText().isEmpty()) {
            throw new InvalidInputException("text.text is empty: give the text to score");
        }
        return (m, c) -> {
            TextScore s = m.scoreText(context, r.getText(), c);
            return ScoreResponse.newBuilder().setText(TextScoreResult.newBuilder()
                    .addAllTokenIds(Arrays.stream(s.tokenIds()).boxed().toList())
                    .addAllLogProbs(Arrays.stream(s.logProbs()).boxed().toList())
                    .setTotalLogProb(s.total())
                    .setPerplexity(s.perplexity())).build();
        };
    }

    private ModelCall<ScoreResponse> imageScore(ImageScoreRequest r, RequestImages images) {
        RgbImage image = images.decode(r.getImage(), "image.image");
        int[] requested = r.getTimestepsList().stream().mapToInt(Integer::intValue).toArray();
        long seed = r.getSeed();
        return (m, c) -> {
            int[] timesteps = requested.length > 0 ? requested : defaultTimesteps(m);
            for (int t : timesteps) {
                int steps = scheduleSteps(m);
                if (t < 0 || t >= steps) {
                    throw new InvalidInputException("image.timesteps: " + t + " is outside 0.." + (steps - 1));
                }
            }
            ImageScore s = m.scoreImage(r.getCaption(), image, timesteps, seed, c);
            return ScoreResponse.newBuilder().setImage(ImageScoreResult.newBuilder()
                    .addAllTimesteps(Arrays.stream(s.timesteps()).boxed().toList())
                    .addAllLosses(Arrays.stream(s.losses()).boxed().toList())
                    .setMeanLoss(s.mean())).build();
        };
    }

    private static int[] defaultTimesteps(TransfusionModel m) {
        int steps = scheduleSteps(m);
        return Arrays.stream(DEFAULT_SCORE_TIMESTEPS).map(t -> Math.min(t, steps - 1)).distinct().toArray();
    }

    private static int scheduleSteps(TransfusionModel m) {
        int steps = ModelInfoMessages.intOf(m.info().config(), ModelInfoMessages.DIFFUSION_STEPS);
        return steps > 0 ? steps : DEFAULT_SCHEDULE_STEPS;
    }

    private static GenerationOptions textOptions(dev.transfusion.server.v1.Sampling sampling) {
        return SamplingMessages.toOptions(sampling, Diffusion.getDefaultInstance(),
                dev.transfusion.server.v1.Mode.MODE_TEXT).toBuilder().mode(Mode.TEXT).build();
    }

    /** Checks a request's parts against the model's modalities and the limits, and all its images. */
    private Checked check(TransfusionModel m, RequestInputs inputs, Cancellation stop) {
        return inputs.check(() -> m.info().modalities().keySet(), budget, payloadLimits, plugins, stop);
    }

    private TransfusionModel requireModel() {
        TransfusionModel m = model;
        if (m == null) {
            throw Status.UNAVAILABLE.withDescription("the model is still loading; retry when grpc.health.v1 "
                    + "reports SERVING").asRuntimeException();
        }
        return m;
    }

    /**
     * A unary call: {@code images} checks the request and names its images (on the gRPC thread, reading
     * headers only), {@code prepare} decodes them and makes the model call (on the decoding pool when there
     * are images), which then runs in a model slot.
     */
    private <T> void unary(StreamObserver<T> responses, String rpc, Supplier<RequestInputs> inputs,
                           Function<Checked, ModelCall<T>> prepare) {
        ServerCallStreamObserver<T> out = (ServerCallStreamObserver<T>) responses;
        CallCancellation cancel = CallCancellation.hook(out, limiter);
        try {
            TransfusionModel m = requireModel();
            Checked checked = check(m, inputs.get(), cancel.decoding());
            decodeThenAdmit(out, cancel, rpc, checked.needsPool(), () -> {
                ModelCall<T> call = prepare.apply(checked);
                admit(out, cancel, rpc, () -> {
                    T response = call.run(m, cancel.sdk());
                    return () -> {
                        if (!out.isCancelled()) {
                            out.onNext(response);
                            out.onCompleted();
                        }
                    };
                });
            });
        } catch (RuntimeException e) {
            out.onError(ExceptionStatus.of(e, rpc).asRuntimeException());
        }
    }

    /**
     * Runs {@code work} (decode, then admit) here when the request has nothing to decode, else on the decoding pool,
     * where a failure closes the call: RESOURCE_EXHAUSTED when decoding ran out of its time budget.
     */
    private void decodeThenAdmit(ServerCallStreamObserver<?> out, CallCancellation cancel, String rpc,
                                 boolean onPool, Runnable work) {
        if (!onPool) {
            work.run();
            return;
        }
        decoding.submit(cancel.decoding(), () -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                if (out.isCancelled()) {
                    return;   // the client is gone or its deadline passed: nobody to answer
                }
                Status status = e instanceof CancellationException
                        ? Status.RESOURCE_EXHAUSTED.withDescription("decoding the request's images took longer than "
                                + "the " + decoding.decodeTime().toMillis() + " ms a request may take")
                        : ExceptionStatus.of(e, rpc);
                out.onError(status.asRuntimeException());
            }
        });
    }

    /**
     * Runs {@code work} in a model slot; what it returns (the last reply) is sent after the slot is given
     * back, so that a client holding its answer finds the slot free.
     */
    private void admit(ServerCallStreamObserver<?> out, CallCancellation cancel, String rpc, Supplier<Runnable> work) {
        cancel.queued(limiter.admitThen(() -> {
            if (cancel.sdk().isCancelled()) {
                return null;   // the call ended while it waited
            }
            try {
                return work.get();
            } catch (RuntimeException | Error e) {
                return () -> {
                    if (!out.isCancelled()) {
                        out.onError(ExceptionStatus.of(e, rpc).asRuntimeException());
                    }
                };
            }
        }));
    }

    /** Links a gRPC call's cancellation to the SDK's {@link Cancellation} and to its place in the queue. */
    private static final class CallCancellation {
        private final Cancellation sdk = new Cancellation();
        private final Cancellation decoding = new Cancellation();
        private final AtomicReference<@Nullable Runnable> queued = new AtomicReference<>();
        private final ConcurrencyLimiter limiter;

        private CallCancellation(ConcurrencyLimiter limiter) {
            this.limiter = limiter;
        }

        /** Must run on the handler thread, before the handler returns (gRPC's rule for the cancel handler). */
        static CallCancellation hook(ServerCallStreamObserver<?> out, ConcurrencyLimiter limiter) {
            CallCancellation c = new CallCancellation(limiter);
            // Runs on client cancel, deadline expiry and shutdownNow; also stops onNext from throwing after it.
            out.setOnCancelHandler(c::cancel);
            return c;
        }

        Cancellation sdk() {
            return sdk;
        }

        /** Set when the call ends or its images' decoding runs out of time. */
        Cancellation decoding() {
            return decoding;
        }

        void queued(Runnable task) {
            queued.set(task);
            if (sdk.isCancelled()) {
                limiter.withdraw(task);
            }
        }

        private void cancel() {
            sdk.cancel();
            decoding.cancel();
            Runnable task = queued.get();
            if (task != null) {
                limiter.withdraw(task);
            }
        }
    }
}
