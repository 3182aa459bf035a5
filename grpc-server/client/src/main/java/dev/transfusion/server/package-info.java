/**
 * The light Java client of {@code transfusion.v1.Transfusion} (module grpc-client; the server, module grpc-server,
 * shares this package): {@link dev.transfusion.server.TransfusionClient} is a
 * {@link dev.transfusion.api.TransfusionModel} over gRPC, round-robin over one or several servers with
 * {@code grpc.health.v1} checks ({@link dev.transfusion.server.StaticResolverProvider} for a fixed list), and the
 * message conversions both ends use.
 */
@NullMarked
package dev.transfusion.server;

import org.jspecify.annotations.NullMarked;
