package dev.archivist.controller.informer;

import dev.archivist.controller.informer.MetadataProtobuf.MalformedProtobufException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A response body on its way to fabric8, turned from protobuf into JSON as it arrives
 * ({@link MetadataProtobuf}). What the body is shows in its first byte:
 * <ul>
 *   <li>{@code k}: a whole protobuf answer (a list, or a {@code Status} for a failed request).
 *       Its bytes are kept until its message is complete, then passed on as one JSON document;
 *       the few bytes after the message (its empty content-type fields) are read and dropped.
 *   <li>any other byte but {@code {} or white space, on a watch: a protobuf watch stream, frames
 *       of a four-byte length and a {@code WatchEvent}. Each complete frame is passed on as one
 *       JSON line, all that one chunk completes in one call, as fabric8 reads a JSON watch.
 *   <li>otherwise JSON (a server or mock that did not send protobuf): passed on unchanged.
 * </ul>
 * fabric8 asks for the next chunk when its consumer has read one; a chunk that completes nothing
 * is asked past here. A body that cannot be read fails its request with a
 * {@link MalformedProtobufException} and tells {@code onMalformed}, so that the next requests ask
 * for JSON. Not thread-safe: fabric8 hands one body's chunks over one at a time.
 */
final class ProtobufBody implements AsyncBody.Consumer<List<ByteBuffer>> {
  private enum Form { UNKNOWN, JSON, ENVELOPE, FRAMES, DONE }

  private final AsyncBody.Consumer<List<ByteBuffer>> downstream;
  private final boolean watch;
  private final Consumer<MalformedProtobufException> onMalformed;
  private Form form = Form.UNKNOWN;
  private byte[] buffer = new byte[8192];
  private int length;
  /** For an envelope: its whole length once its header has been read, else -1. */
  private int envelopeLength = -1;

  ProtobufBody(AsyncBody.Consumer<List<ByteBuffer>> downstream, boolean watch,
      Consumer<MalformedProtobufException> onMalformed) {
    this.downstream = downstream;
    this.watch = watch;
    this.onMalformed = onMalformed;
  }

  @Override
  public void consume(List<ByteBuffer> chunk, AsyncBody body) throws Exception {
    if (form == Form.UNKNOWN) {
      form = formOf(chunk);
    }
    switch (form) {
      case UNKNOWN -> body.consume(); // an empty chunk: wait for a byte to tell
      case JSON -> downstream.consume(chunk, body);
      case DONE -> body.consume(); // what follows a whole answer's message
      default -> {
        append(chunk);
        List<ByteBuffer> json;
        try {
          json = form == Form.ENVELOPE ? envelope() : frames();
        } catch (MalformedProtobufException e) {
          onMalformed.accept(e);
          throw e;
        }
        if (json.isEmpty()) {
          body.consume();
        } else {
          downstream.consume(json, body);
        }
      }
    }
  }

  @Override
  public <U> U unwrap(Class<U> target) {
    return downstream.unwrap(target);
  }

  private Form formOf(List<ByteBuffer> chunk) {
    for (ByteBuffer b : chunk) {
      if (b.hasRemaining()) {
        byte first = b.get(b.position());
        if (first == MetadataProtobuf.MAGIC[0]) {
          return Form.ENVELOPE;
        }
        boolean json = first == '{' || first == '[' || first == ' ' || first == '\n'
            || first == '\r' || first == '\t';
        return watch && !json ? Form.FRAMES : Form.JSON;
      }
    }
    return Form.UNKNOWN;
  }

  private void append(List<ByteBuffer> chunk) {
    for (ByteBuffer b : chunk) {
      int n = b.remaining();
      if (length + n > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
      }
      b.get(buffer, length, n);
      length += n;
    }
  }

  /** The JSON of the whole answer once its message is complete; until then nothing. */
  private List<ByteBuffer> envelope() throws MalformedProtobufException {
    if (envelopeLength < 0) {
      envelopeLength = MetadataProtobuf.envelopeLength(buffer, length);
      if (envelopeLength < 0) {
        return List.of();
      }
    }
    if (length < envelopeLength) {
      return List.of();
    }
    byte[] json = MetadataProtobuf.envelopeToJson(buffer, 0, envelopeLength);
    form = Form.DONE;
    buffer = null;
    return List.of(ByteBuffer.wrap(json));
  }

  /** The JSON lines of every complete frame; what is left of a frame stays for the next chunk. */
  private List<ByteBuffer> frames() throws MalformedProtobufException {
    List<ByteBuffer> lines = new ArrayList<>();
    int at = 0;
    while (length - at >= 4) {
      int size = ByteBuffer.wrap(buffer, at, 4).getInt(); // big-endian, as the frames are
      if (size < 0) {
        throw new MalformedProtobufException("a watch frame claims " + (size & 0xffffffffL)
            + " bytes: " + MetadataProtobuf.preview(buffer, at, length - at));
      }
      if (length - at - 4 < size) {
        break;
      }
      lines.add(ByteBuffer.wrap(MetadataProtobuf.watchEventToJson(buffer, at + 4, size)));
      at += 4 + size;
    }
    if (at > 0) {
      System.arraycopy(buffer, at, buffer, 0, length - at);
      length -= at;
    }
    return lines;
  }
}
