package dev.transfusion.server;

import io.grpc.stub.StreamObserver;

/** Ignores everything: for calls a test starts only to occupy the server. */
final class NoopObserver<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {
    }

    @Override
    public void onError(Throwable t) {
    }

    @Override
    public void onCompleted() {
    }
}
