package dev.transfusion.server;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ImageScore;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextScore;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.v1.AnswerRequest;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.ImageScoreResult;
import dev.transfusion.server.v1.ModalityData;
import dev.transfusion.server.v1.ScoreRequest;
import dev.transfusion.server.v1.TextScoreRequest;
import dev.transfusion.server.v1.TextScoreResult;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Transfusion model on a server, used like a local one: a {@link TransfusionModel} whose calls go over gRPC.
 * Generation streams into the {@link GenerationListener} as events arrive (token ids read
 * {@code -1}: the wire carries text), and setting the {@link Cancellation} cancels the call, which stops the
 * model on the server. Input errors come back as {@link InvalidInputException} with the server's message,
 * anything else as {@link RemoteCallException}. Close it to close the channel it opened.
 *
 * <pre>{@code
 * try (TransfusionClient model = TransfusionClient.builder("gpu-host:50051").bearerToken(token).build()) {
 *     GenerationResult r = model.generate(Document.text("a red circle"), options,
 *             GenerationListener.ofTokens((id, text) -> System.out.print(text)), new Cancellation());
 * }
 * }</pre>
 */
public final class TransfusionClient implements TransfusionModel {
    /** The header the server's BearerTokenInterceptor reads (that class is the server's, not on this class path). */
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final Channel channel;
    private final @Nullable ManagedChannel owned;
    private final @Nullable Duration timeout;

    private TransfusionClient(Channel channel, @Nullable ManagedChannel owned, @Nullable Duration timeout) {
        this.channel = channel;
        this.owned = owned;
        this.timeout = timeout;
    }

    /** A plaintext client of {@code host:port} without auth. */
    public static TransfusionClient connect(String host, int port) {
        return builder(host + ":" + port).build();
    }

    /** A client over a channel the caller owns (closing the client leaves it open). */
    public static TransfusionClient over(Channel channel) {
        return new TransfusionClient(channel, null, null);
    }

    /**
     * A builder for a gRPC target such as {@code host:port}, {@code dns:///host:port} (every address the name
     * has) or a list {@code host:port,host:port}. Calls go round-robin over the addresses, skipping those whose
     * {@code grpc.health.v1} status is not SERVING.
     */
    public static Builder builder(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("target is empty; expected host:port, dns:///host:port or a list "
                    + "host:port,host:port");
        }
        // a list without a scheme: gRPC would take it for one DNS name and fail only at the first call
        if (target.contains(",") && !target.contains(":/")) {
            return new Builder(StaticResolverProvider.target(ServerAddress.parseList(target)));
        }
        return new Builder(target);
    }

    /** A builder over several identical servers, each {@code host:port}: calls are spread round-robin. */
    public static Builder builder(List<String> servers) {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("server list is empty; expected at least one host:port");
        }
        return new Builder(StaticResolverProvider.target(servers.stream().map(ServerAddress::parse).toList()));
    }

    @Override
    public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                     Cancellation cancellation) {
        GenerateRequest request = request(prompt, options);
        GenerateEventCollector collector = new GenerateEventCollector(listener);
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            return context.call(() -> {
                Iterator<GenerateEvent> events = stub(TransfusionGrpc.newBlockingStub(channel)).generate(request);
                while (events.hasNext()) {
                    // checked at every event, and there is one per token and per denoising step
                    if (cancellation.isCancelled()) {
                        context.cancel(null);
                        return collector.cancelled();
                    }
                    collector.accept(events.next());
                }
                return collector.result();
            });
        } catch (StatusRuntimeException e) {
            if (cancellation.isCancelled() && e.getStatus().getCode() == Status.Code.CANCELLED) {
                return collector.cancelled();
            }
            throw translate(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            context.cancel(null);
        }
    }

    /**
     * Generates without blocking: events reach {@code listener} on a gRPC thread, and the future completes with
     * the result. Cancelling the future cancels the call on the server.
     */
    public CompletableFuture<GenerationResult> generateAsync(Document prompt, GenerationOptions options,
                                                             GenerationListener listener) {
        return GenerateCall.start(stub(TransfusionGrpc.newStub(channel)), request(prompt, options),
                new GenerateEventCollector(listener), TransfusionClient::translate);
    }

    @Override
    public String caption(RgbImage image, GenerationOptions options) {
        return call(() -> stub(TransfusionGrpc.newBlockingStub(channel)).caption(CaptionRequest.newBuilder()
                .setImage(ImageDataCodec.encode(image))
                .setSampling(SamplingMessages.sampling(options)).build()).getText());
    }

    @Override
    public String answer(RgbImage image, String question, GenerationOptions options) {
        return call(() -> stub(TransfusionGrpc.newBlockingStub(channel)).answer(AnswerRequest.newBuilder()
                .setImage(ImageDataCodec.encode(image))
                .setQuestion(question)
                .setSampling(SamplingMessages.sampling(options)).build()).getText());
    }

    /** Describes a part of any continuous modality the server's model reads (an image, an audio clip, ...). */
    @Override
    public String caption(Part part, GenerationOptions options, Cancellation cancellation) {
        return cancellable(cancellation, () -> stub(TransfusionGrpc.newBlockingStub(channel))
                .caption(CaptionRequest.newBuilder().setPart(wirePart(part))
                        .setSampling(SamplingMessages.sampling(options)).build()).getText());
    }

    /** Answers {@code question} about a part of any continuous modality the server's model reads. */
    @Override
    public String answer(Part part, String question, GenerationOptions options, Cancellation cancellation) {
        return cancellable(cancellation, () -> stub(TransfusionGrpc.newBlockingStub(channel))
                .answer(AnswerRequest.newBuilder().setPart(wirePart(part)).setQuestion(question)
                        .setSampling(SamplingMessages.sampling(options)).build()).getText());
    }

    /** An image as PNG bytes, another modality's part as raw values. */
    private static ModalityData wirePart(Part part) {
        if (part instanceof ImagePart im) {
            ImageData png = ImageDataCodec.encode(im.image());
            return ModalityData.newBuilder().setModality(ImagePart.MODALITY).setData(png.getData())
                    .setMimeType(png.getMimeType()).build();
        }
        if (part instanceof ModalityPart m) {
            return ModalityDataCodec.raw(m);
        }
        throw new InvalidInputException("caption and answer take a part of a continuous modality, not text");
    }

    /** A unary call that {@code cancellation} cancels on the server, looked at every 50 ms. */
    private <T> T cancellable(Cancellation cancellation, Supplier<T> rpc) {
        if (cancellation.isCancelled()) {
            throw new CancellationException("cancelled before the call");
        }
        Context.CancellableContext context = Context.current().withCancellation();
        ScheduledFuture<?> watch = CancelWatch.EXECUTOR.scheduleWithFixedDelay(() -> {
            if (cancellation.isCancelled()) {
                context.cancel(new CancellationException("cancelled"));
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        try {
            return context.call(() -> call(rpc));
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new CancellationException("cancelled");
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            watch.cancel(false);
            context.cancel(null);
        }
    }

    /** One daemon thread for all clients that watches the Cancellations of unary calls in flight. */
    private static final class CancelWatch {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "transfusion-client-cancel");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public TextScore scoreText(Document context, String text) {
        TextScoreResult r = call(() -> stub(TransfusionGrpc.newBlockingStub(channel)).score(ScoreRequest.newBuilder()
                .setText(TextScoreRequest.newBuilder().addAllContext(PromptChunks.fromDocument(context)).setText(text))
                .build()).getText());
        return new TextScore(r.getTokenIdsList().stream().mapToInt(Integer::intValue).toArray(),
                r.getLogProbsList().stream().mapToDouble(Double::doubleValue).toArray(),
                r.getTotalLogProb(), r.getPerplexity());
    }

    @Override
    public ImageScore scoreImage(String caption, RgbImage image, int[] timesteps, long seed) {
        ImageScoreResult r = call(() -> stub(TransfusionGrpc.newBlockingStub(channel)).score(ScoreRequest.newBuilder()
                .setImage(ImageScoreRequest.newBuilder()
                        .setCaption(caption)
                        .setImage(ImageDataCodec.encode(image))
                        .addAllTimesteps(Arrays.stream(timesteps).boxed().toList())
                        .setSeed(seed))
                .build()).getImage());
        return new ImageScore(r.getTimestepsList().stream().mapToInt(Integer::intValue).toArray(),
                r.getLossesList().stream().mapToDouble(Double::doubleValue).toArray(), r.getMeanLoss());
    }

    @Override
    public ModelInfo info() {
        return ModelInfoMessages.fromMessage(call(() -> stub(TransfusionGrpc.newBlockingStub(channel))
                .getModelInfo(GetModelInfoRequest.getDefaultInstance())));
    }

    /** Closes the channel this client opened, waiting up to 5 s for calls in flight. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
            try {
                if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
                    owned.shutdownNow();
                }
            } catch (InterruptedException e) {
                owned.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static GenerateRequest request(Document prompt, GenerationOptions options) {
        return GenerateRequest.newBuilder()
                .addAllPrompt(PromptChunks.fromDocument(prompt))
                .setMode(SamplingMessages.mode(options))
                .setSampling(SamplingMessages.sampling(options))
                .setDiffusion(SamplingMessages.diffusion(options))
                .setModality(options.modality() == null ? "" : options.modality())
                // parts come back as the SDK's ModalityPart: raw values, with no plugin needed here
                .setRawParts(true)
                .build();
    }

    private <S extends AbstractStub<S>> S stub(S stub) {
        return timeout == null ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static <T> T call(Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(StatusRuntimeException e) {
        Status s = e.getStatus();
        if (s.getCode() == Status.Code.INVALID_ARGUMENT) {
            return new InvalidInputException(s.getDescription() == null ? "invalid argument" : s.getDescription(), e);
        }
        return new RemoteCallException(s, e);
    }

    /** Builds a {@link TransfusionClient} that owns its channel. */
    public static final class Builder {
        private final String target;
        private @Nullable String token;
        private @Nullable Path trustedCertificate;
        private @Nullable String authority;
        private @Nullable Duration timeout;
        private int maxInboundMessageSize = 32 * 1024 * 1024;

        private Builder(String target) {
            this.target = target;
        }

        /** Sends {@code authorization: Bearer <token>} with every call. */
        public Builder bearerToken(String token) {
            this.token = token;
            return this;
        }

        /** Uses TLS, trusting the PEM certificate(s) in {@code file} (a private CA or a self-signed server). */
        public Builder trustCertificate(Path file) {
            this.trustedCertificate = file;
            return this;
        }

        /** The name to verify in the server's certificate, when it differs from the target's host. */
        public Builder authority(String authority) {
            this.authority = authority;
            return this;
        }

        /** A deadline for every call, from its start (default none). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Largest response in bytes (default 32 MiB: generated images). */
        public Builder maxInboundMessageSize(int bytes) {
            this.maxInboundMessageSize = bytes;
            return this;
        }

        /** The client; it connects lazily, on its first call. */
        public TransfusionClient build() {
            ChannelCredentials credentials;
            try {
                credentials = trustedCertificate == null ? InsecureChannelCredentials.create()
                        : TlsChannelCredentials.newBuilder().trustManager(trustedCertificate.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the certificate " + trustedCertificate, e);
            }
            ManagedChannelBuilder<?> b = Grpc.newChannelBuilder(target, credentials)
                    .maxInboundMessageSize(maxInboundMessageSize)
                    .defaultServiceConfig(LoadBalancing.serviceConfig());
            if (authority != null) {
                b.overrideAuthority(authority);
            }
            ManagedChannel managed = b.build();
            Channel channel = managed;
            if (token != null) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            return new TransfusionClient(channel, managed, timeout);
        }
    }
}
