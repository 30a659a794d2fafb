package dev.archivist.controller.informer;

import com.google.protobuf.CodedInputStream;
import dev.archivist.controller.informer.MetadataProtobuf.MalformedProtobufException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import java.io.IOException;
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
      envelopeLength = envelopeLength();
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

  /**
   * The length of the envelope up to the end of its message (field 2), or -1 while its header
   * has not all arrived. The type meta (field 1) comes first, then the message.
   */
  private int envelopeLength() throws MalformedProtobufException {
    int magic = MetadataProtobuf.MAGIC.length;
    if (length < magic) {
      return -1;
    }
    CodedInputStream in = CodedInputStream.newInstance(buffer, magic, length - magic);
    try {
      while (true) {
        if (in.isAtEnd()) {
          return -1;
        }
        int tag = in.readTag();
        int field = tag >>> 3;
        if ((tag & 7) != 2 || field < 1 || field > 4) {
          throw new MalformedProtobufException("the envelope starts with field " + field
              + " of wire type " + (tag & 7) + ": "
              + MetadataProtobuf.preview(buffer, 0, length));
        }
        int size = in.readRawVarint32();
        int end = magic + in.getTotalBytesRead() + size;
        if (field == 2) {
          return end;
        }
        if (end > length) {
          return -1;
        }
        in.skipRawBytes(size);
      }
    } catch (MalformedProtobufException e) {
      throw e;
    } catch (IOException e) {
      return -1; // a header cut off by the chunk's end: wait for more
    }
  }

  /** The JSON lines of every complete frame; what is left of a frame stays for the next chunk. */
  private List<ByteBuffer> frames() throws MalformedProtobufException {
    List<ByteBuffer> lines = new ArrayList<>();
    int at = 0;
    while (length - at >= 4) {
      int size = ((buffer[at] & 0xff) << 24) | ((buffer[at + 1] & 0xff) << 16)
          | ((buffer[at + 2] & 0xff) << 8) | (buffer[at + 3] & 0xff);
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
