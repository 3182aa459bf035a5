/**
 * The Transfusion model over gRPC ({@code transfusion.v1.Transfusion}): {@link dev.transfusion.server.TransfusionServer}
 * serves a {@link dev.transfusion.api.TransfusionModel} on Netty with health, reflection, a concurrency limit,
 * deadlines, optional TLS and bearer-token auth; {@link dev.transfusion.server.ServerLauncher} runs it until
 * SIGTERM; {@link dev.transfusion.server.TransfusionClient} is the Java client, itself a
 * {@code TransfusionModel}.
 */
@NullMarked
package dev.transfusion.server;

import org.jspecify.annotations.NullMarked;
