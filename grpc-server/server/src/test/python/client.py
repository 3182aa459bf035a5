"""A Transfusion client in Python, from stubs that Debian's python3-grpc-tools (protoc 3.5.1) generated out of
the unmodified transfusion.proto. Calls Generate (streaming), Caption and Answer, with images and with parts of
another modality (ModalityData: audio/wav back, raw values in), and prints one line per
result for the JUnit test to read.

usage: python3 client.py STUB_DIR HOST:PORT PNG_FILE TOKEN
"""
import struct
import sys

stub_dir, target, png_file, token = sys.argv[1:5]
sys.path.insert(0, stub_dir)

import grpc  # noqa: E402
from transfusion.v1 import transfusion_pb2 as pb  # noqa: E402
from transfusion.v1 import transfusion_pb2_grpc as rpc  # noqa: E402

metadata = [("authorization", "Bearer " + token)]
stub = rpc.TransfusionStub(grpc.insecure_channel(target))


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not-a-png"
    return "%dx%d" % struct.unpack(">II", data[16:24])


request = pb.GenerateRequest(prompt=[pb.Chunk(text="draw a circle")], mode=pb.MODE_IMAGE,
                             sampling=pb.Sampling(seed=255, max_new_tokens=16),
                             diffusion=pb.Diffusion(steps=3, sampler="ddim"))
text = []
for event in stub.Generate(request, metadata=metadata, timeout=30):
    kind = event.WhichOneof("event")
    if kind == "text":
        text.append(event.text.text)
    elif kind == "progress":
        print("PROGRESS %d/%d image=%d" % (event.progress.step, event.progress.total_steps,
                                           event.progress.image_index))
    elif kind == "image":
        print("IMAGE %s %s" % (event.image.mime_type, png_size(event.image.data)))
    elif kind == "finished":
        print("TEXT " + "".join(text))
        print("FINISHED %s images=%d seed=%d" % (event.finished.finish_reason, event.finished.images,
                                                 event.finished.seed))

with open(png_file, "rb") as f:
    image = pb.ImageData(data=f.read(), mime_type="image/png")
caption = stub.Caption(pb.CaptionRequest(image=image), metadata=metadata, timeout=30)
print("CAPTION %s (%s)" % (caption.text, caption.finish_reason))
seeded = pb.Sampling()
seeded.seed_value.value = 0          # a wrapper: seed 0 itself, which a plain 0 cannot say
answer = stub.Answer(pb.AnswerRequest(image=image, question="what colour?", sampling=seeded),
                     metadata=metadata, timeout=30)
print("ANSWER %s seed=%d" % (answer.text, answer.usage.seed))
try:
    stub.Caption(pb.CaptionRequest(image=pb.ImageData(data=b"not an image", mime_type="image/png")),
                 metadata=metadata, timeout=30)
    print("ERROR none")
except grpc.RpcError as e:
    print("ERROR %s %s" % (e.code().name, e.details()))
# parts of other modalities (ModalityData): a generated audio clip comes as audio/wav; raw values go in
parts = []
for event in stub.Generate(pb.GenerateRequest(prompt=[pb.Chunk(text="x")], mode=pb.MODE_IMAGE, modality="audio",
                                              diffusion=pb.Diffusion(steps=1)), metadata=metadata, timeout=30):
    kind = event.WhichOneof("event")
    if kind == "progress":
        parts.append("progress:" + event.progress.modality)
    elif kind == "part":
        parts.append("part:%s %s %s %d" % (event.part.modality, event.part.mime_type, event.part.data[:4].decode(),
                                          len(event.part.values)))
print("PARTS " + " ".join(parts))
clip = pb.ModalityData(modality="audio", shape=[3], values=[0.5, -0.5, 0.25])
print("CAPTION-PART " + stub.Caption(pb.CaptionRequest(part=clip), metadata=metadata, timeout=30).text)
try:
    stub.Caption(pb.CaptionRequest(part=pb.ModalityData(modality="audio", shape=[4], values=[1.0])),
                 metadata=metadata, timeout=30)
    print("ERROR none")
except grpc.RpcError as e:
    print("ERROR %s %s" % (e.code().name, e.details()))
print("DONE")
