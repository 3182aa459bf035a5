package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.CaptionResponse;
import dev.transfusion.server.v1.ImageData;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** What the bytes of a request may cost: unknown fields no more than their bytes; size limits under gzip. */
class WireCostTest {

    /** A caption request followed by {@code n} unknown varint fields of 3 bytes each. */
    private static byte[] withUnknownFields(CaptionRequest request, int n) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        request.writeTo(bytes);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int i = 0; i < n; i++) {
            out.writeUInt32(1000, 1);   // field 1000 is not in CaptionRequest
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static CaptionRequest small() {
        return CaptionRequest.newBuilder().setImage(ImageDataCodec.encode(FakeModel.solid(2, 2, 0))).build();
    }

    @Test
    void unknownFieldsAreDroppedWhileParsingNotKept() throws Exception {
        byte[] bytes = withUnknownFields(small(), 1_000_000);   // 3 MB: a million UnknownFieldSet entries before
        ServerServiceDefinition wrapped = RequestParsing.wrap(new TransfusionService(new ConcurrencyLimiter(1, 1),
                RequestBudget.DEFAULTS).bindService());
        ServerMethodDefinition<?, ?> caption = wrapped.getMethod("transfusion.v1.Transfusion/Caption");
        MethodDescriptor.Marshaller<?> requests = caption.getMethodDescriptor().getRequestMarshaller();
        RequestParsing.Parsed<?> parsed = (RequestParsing.Parsed<?>) requests.parse(new ByteArrayInputStream(bytes));
        CaptionRequest got = (CaptionRequest) parsed.message();
        assertEquals(small(), got, "the known fields are read as sent");
        assertTrue(got.getUnknownFields().asMap().isEmpty(), "unknown fields kept: "
                + got.getUnknownFields().asMap().size());
    }

    @Test
    void aCallWithAMillionUnknownFieldsIsServed() throws Exception {
        byte[] bytes = withUnknownFields(small(), 1_000_000);
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0))) {
            byte[] reply = RawCalls.unary(h.channel, "Caption", bytes);
            assertEquals("a red square 2x2", CaptionResponse.parseFrom(reply).getText());
        }
    }

    @Test
    void aGzipRequestThatInflatesPastTheLimitIsResourceExhausted() throws Exception {
        try (ServerHarness h = ServerHarness.start(Transport.NETTY, new FakeModel(0, 0),
                b -> b.maxInboundMessageSize(16 * 1024))) {
            CaptionRequest big = CaptionRequest.newBuilder().setImage(ImageData.newBuilder()
                    .setData(ByteString.copyFrom(new byte[256 * 1024]))).build();   // zeros: tiny once gzipped
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> h.blocking().withCompression("gzip").caption(big));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
            assertEquals(0, h.model.generateCalls.get());
        }
    }
}
