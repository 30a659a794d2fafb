package dev.archivist.controller.informer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns the API server's protobuf answers for metadata-only reads into the JSON it would have
 * sent for the same request, so that fabric8's informer reads them as it always has.
 *
 * <p>A Workflow is a custom resource, which the API server can send only as JSON; but the
 * metadata-only forms ({@code PartialObjectMetadata} and its list) are built-in types, and those
 * it sends as protobuf too, at about two thirds of the bytes. Only these messages are read (the
 * field numbers are those of Kubernetes' {@code meta/v1} and {@code runtime} protobuf schemas):
 * <ul>
 *   <li>the envelope of a whole answer: the four bytes {@code k8s\0}, then a
 *       {@code runtime.Unknown} (1: type meta with 1: apiVersion and 2: kind; 2: the message);
 *   <li>{@code PartialObjectMetadataList} (1: list meta, 2: items), {@code PartialObjectMetadata}
 *       (1: object meta), {@code Status} (a failed request or a watch's ERROR event);
 *   <li>{@code WatchEvent} (1: type, 2: the object, itself in an envelope), one to a frame of a
 *       watch stream.
 * </ul>
 * The JSON leaves out what Go's JSON leaves out (empty strings, zero numbers, empty maps), and it
 * leaves out {@code managedFields}, which the informers never read. Anything else (another kind,
 * a malformed message) is a {@link MalformedProtobufException}.
 */
final class MetadataProtobuf {
  /** What starts every whole protobuf answer of the API server. */
  static final byte[] MAGIC = {'k', '8', 's', 0};

  private static final JsonFactory JSON = new JsonFactory();

  // The string fields of each message, by field number (index); its other fields are read in
  // its own method.
  private static final String[] LIST_META_STRINGS = {null, "selfLink", "resourceVersion",
      "continue"};
  private static final String[] OBJECT_META_STRINGS = {null, "name", "generateName",
      "namespace", "selfLink", "uid", "resourceVersion"};
  private static final String[] STATUS_STRINGS = {null, null, "status", "message", "reason"};
  private static final String[] STATUS_DETAILS_STRINGS = {null, "name", "group", "kind", null,
      null, "uid"};
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

  private MetadataProtobuf() {}

  /** A protobuf answer that cannot be read as one of the messages above. */
  static final class MalformedProtobufException extends IOException {
    MalformedProtobufException(String message) {
      super(message);
    }

    MalformedProtobufException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The length of the envelope in the first {@code length} bytes of {@code buffer} up to the end
   * of its message (field 2), or -1 while its header has not all arrived. The type meta
   * (field 1) comes first, then the message.
   */
  static int envelopeLength(byte[] buffer, int length) throws MalformedProtobufException {
    int magic = MAGIC.length;
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
              + " of wire type " + (tag & 7) + ": " + preview(buffer, 0, length));
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

  /** The JSON of a whole answer: {@code envelope} starts with {@link #MAGIC}. */
  static byte[] envelopeToJson(byte[] envelope, int offset, int length)
      throws MalformedProtobufException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length * 2);
    try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      writeEnveloped(json, envelope, offset, length);
    } catch (IOException | RuntimeException e) {
      throw malformed("an answer", e);
    }
    return out.toByteArray();
  }

  /**
   * The JSON line of one watch frame (a {@code WatchEvent}, without envelope), with its newline.
   */
  static byte[] watchEventToJson(byte[] frame, int offset, int length)
      throws MalformedProtobufException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length * 2);
    try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      CodedInputStream in = CodedInputStream.newInstance(frame, offset, length);
      String type = "";
      byte[] object = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> type = in.readString();
          case 2 -> object = rawExtension(in.readByteArray());
          default -> in.skipField(tag);
        }
      }
      if (object == null) {
        throw new MalformedProtobufException("a watch event of type '" + type
            + "' has no object");
      }
      json.writeStartObject();
      json.writeStringProperty("type", type);
      json.writeName("object");
      writeEnveloped(json, object, 0, object.length);
      json.writeEndObject();
    } catch (IOException | RuntimeException e) {
      throw malformed("a watch event", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The bytes of a {@code RawExtension} (1: raw). */
  private static byte[] rawExtension(byte[] message) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    byte[] raw = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        raw = in.readByteArray();
      } else {
        in.skipField(tag);
      }
    }
    return raw;
  }

  private static void writeEnveloped(JsonGenerator json, byte[] bytes, int offset, int length)
      throws IOException {
    if (length < MAGIC.length) {
      throw new MalformedProtobufException("an answer of " + length + " bytes is too short");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[offset + i] != MAGIC[i]) {
        throw new MalformedProtobufException("an answer does not start with the protobuf"
            + " envelope's k8s\\0");
      }
    }
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset + MAGIC.length,
        length - MAGIC.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          CodedInputStream typeMeta = CodedInputStream.newInstance(in.readByteArray());
          for (int t = typeMeta.readTag(); t != 0; t = typeMeta.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> apiVersion = typeMeta.readString();
              case 2 -> kind = typeMeta.readString();
              default -> typeMeta.skipField(t);
            }
          }
        }
        case 2 -> raw = in.readByteArray();
        default -> in.skipField(tag);
      }
    }
    if (raw == null) {
      throw new MalformedProtobufException("the envelope of a " + kind + " holds no message");
    }
    CodedInputStream message = CodedInputStream.newInstance(raw);
    switch (kind) {
      case "PartialObjectMetadataList" -> writeList(json, apiVersion, message);
      case "PartialObjectMetadata" -> writeItem(json, apiVersion, message);
      case "Status" -> writeStatus(json, apiVersion, message);
      default -> throw new MalformedProtobufException(kind.isEmpty()
          ? "the API server sent a message without a kind"
          : "the API server sent a " + apiVersion + " " + kind
              + ", which a metadata-only read does not expect");
    }
  }

  private static void writeList(JsonGenerator json, String apiVersion, CodedInputStream in)
      throws IOException {
    json.writeStartObject();
    json.writeStringProperty("kind", "PartialObjectMetadataList");
    json.writeStringProperty("apiVersion", apiVersion);
    boolean wroteMetadata = false;
    boolean inItems = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (inItems) {
            throw new MalformedProtobufException("a list's metadata follows its items");
          }
          json.writeName("metadata");
          writeListMeta(json, in.readBytes().newCodedInput());
          wroteMetadata = true;
        }
        case 2 -> {
          if (!inItems) {
            if (!wroteMetadata) {
              json.writeName("metadata");
              json.writeStartObject();
              json.writeEndObject();
              wroteMetadata = true;
            }
            json.writeArrayPropertyStart("items");
            inItems = true;
          }
          writeItem(json, apiVersion, in.readBytes().newCodedInput());
        }
        default -> in.skipField(tag);
      }
    }
    if (!wroteMetadata) {
      json.writeName("metadata");
      json.writeStartObject();
      json.writeEndObject();
    }
    if (!inItems) {
      json.writeArrayPropertyStart("items");
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static void writeItem(JsonGenerator json, String apiVersion, CodedInputStream in)
      throws IOException {
    json.writeStartObject();
    json.writeStringProperty("kind", "PartialObjectMetadata");
    json.writeStringProperty("apiVersion", apiVersion);
    json.writeName("metadata");
    boolean wrote = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1 && !wrote) {
        writeObjectMeta(json, in.readBytes().newCodedInput());
        wrote = true;
      } else {
        in.skipField(tag);
      }
    }
    if (!wrote) {
      json.writeStartObject();
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** {@code ListMeta}: 1 selfLink, 2 resourceVersion, 3 continue, 4 remainingItemCount. */
  private static void writeListMeta(JsonGenerator json, CodedInputStream in) throws IOException {
    writeFlat(json, in, LIST_META_STRINGS, 4, "remainingItemCount");
  }

  /**
   * A message of strings ({@code strings}, by field number) and one whole number
   * ({@code numberField}), as a JSON object; a zero number is left out, as Go leaves it out.
   */
  private static void writeFlat(JsonGenerator json, CodedInputStream in, String[] strings,
      int numberField, String numberName) throws IOException {
    json.writeStartObject();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (stringField(json, strings, field, in)) {
        continue;
      }
      if (field == numberField) {
        numberProperty(json, numberName, in.readInt64());
      } else {
        in.skipField(tag);
      }
    }
    json.writeEndObject();
  }

  /**
   * {@code ObjectMeta}: 1 name, 2 generateName, 3 namespace, 4 selfLink, 5 uid,
   * 6 resourceVersion, 7 generation, 8 creationTimestamp, 9 deletionTimestamp,
   * 10 deletionGracePeriodSeconds, 11 labels, 12 annotations, 13 ownerReferences,
   * 14 finalizers; 17 managedFields is skipped. Repeated fields arrive together, in order.
   */
  private static void writeObjectMeta(JsonGenerator json, CodedInputStream in)
      throws IOException {
    json.writeStartObject();
    int open = 0; // the field number of the map or array being written, 0 when none
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (open != 0 && field != open) {
        closeRepeated(json, open);
        open = 0;
      }
      if (stringField(json, OBJECT_META_STRINGS, field, in)) {
        continue;
      }
      switch (field) {
        case 7 -> numberProperty(json, "generation", in.readInt64());
        case 8 -> timeProperty(json, "creationTimestamp", in.readBytes().newCodedInput());
        case 9 -> timeProperty(json, "deletionTimestamp", in.readBytes().newCodedInput());
        case 10 -> json.writeNumberProperty("deletionGracePeriodSeconds", in.readInt64());
        case 11, 12 -> {
          if (open == 0) {
            json.writeName(field == 11 ? "labels" : "annotations");
            json.writeStartObject();
            open = field;
          }
          writeMapEntry(json, in.readBytes().newCodedInput());
        }
        case 13 -> {
          if (open == 0) {
            json.writeArrayPropertyStart("ownerReferences");
            open = field;
          }
          writeOwnerReference(json, in.readBytes().newCodedInput());
        }
        case 14 -> {
          if (open == 0) {
            json.writeArrayPropertyStart("finalizers");
            open = field;
          }
          json.writeString(in.readString());
        }
        default -> in.skipField(tag);
      }
    }
    if (open != 0) {
      closeRepeated(json, open);
    }
    json.writeEndObject();
  }

  private static void closeRepeated(JsonGenerator json, int field) {
    if (field == 11 || field == 12) {
      json.writeEndObject();
    } else {
      json.writeEndArray();
    }
  }

  /** A map entry: 1 key, 2 value. */
  private static void writeMapEntry(JsonGenerator json, CodedInputStream in) throws IOException {
    String key = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> key = in.readString();
        case 2 -> value = in.readString();
        default -> in.skipField(tag);
      }
    }
    json.writeStringProperty(key, value);
  }

  /**
   * {@code OwnerReference}: 5 apiVersion, 1 kind, 3 name, 4 uid, 6 controller,
   * 7 blockOwnerDeletion; written in the order of its JSON.
   */
  private static void writeOwnerReference(JsonGenerator json, CodedInputStream in)
      throws IOException {
    String apiVersion = "";
    String kind = "";
    String name = "";
    String uid = "";
    Boolean controller = null;
    Boolean blockOwnerDeletion = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> kind = in.readString();
        case 3 -> name = in.readString();
        case 4 -> uid = in.readString();
        case 5 -> apiVersion = in.readString();
        case 6 -> controller = in.readBool();
        case 7 -> blockOwnerDeletion = in.readBool();
        default -> in.skipField(tag);
      }
    }
    json.writeStartObject();
    json.writeStringProperty("apiVersion", apiVersion);
    json.writeStringProperty("kind", kind);
    json.writeStringProperty("name", name);
    json.writeStringProperty("uid", uid);
    if (controller != null) {
      json.writeBooleanProperty("controller", controller);
    }
    if (blockOwnerDeletion != null) {
      json.writeBooleanProperty("blockOwnerDeletion", blockOwnerDeletion);
    }
    json.writeEndObject();
  }

  /** {@code Time}: 1 seconds, 2 nanos; JSON has whole seconds, in UTC. */
  private static void timeProperty(JsonGenerator json, String name, CodedInputStream in)
      throws IOException {
    long seconds = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        seconds = in.readInt64();
      } else {
        in.skipField(tag);
      }
    }
    json.writeStringProperty(name,
        RFC3339.format(Instant.ofEpochSecond(seconds).truncatedTo(ChronoUnit.SECONDS)));
  }

  /**
   * {@code Status}: 1 list meta, 2 status, 3 message, 4 reason, 5 details, 6 code. Details
   * (1 name, 2 group, 3 kind, 6 uid, 4 causes, 5 retryAfterSeconds) are kept for what a client
   * reads of them: name, group, kind, uid and retryAfterSeconds.
   */
  private static void writeStatus(JsonGenerator json, String apiVersion, CodedInputStream in)
      throws IOException {
    json.writeStartObject();
    json.writeStringProperty("kind", "Status");
    json.writeStringProperty("apiVersion", apiVersion);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (stringField(json, STATUS_STRINGS, field, in)) {
        continue;
      }
      switch (field) {
        case 1 -> {
          json.writeName("metadata");
          writeListMeta(json, in.readBytes().newCodedInput());
        }
        case 5 -> writeStatusDetails(json, in.readBytes().newCodedInput());
        case 6 -> numberProperty(json, "code", in.readInt32());
        default -> in.skipField(tag);
      }
    }
    json.writeEndObject();
  }

  /** {@code StatusDetails}: 1 name, 2 group, 3 kind, 6 uid, 5 retryAfterSeconds (4 causes). */
  private static void writeStatusDetails(JsonGenerator json, CodedInputStream in)
      throws IOException {
    json.writeName("details");
    writeFlat(json, in, STATUS_DETAILS_STRINGS, 5, "retryAfterSeconds");
  }

  /**
   * Writes {@code field} of a message when {@code names} names it as one of the message's string
   * fields (by field number; JSON leaves an empty one out); false when it is another field.
   */
  private static boolean stringField(JsonGenerator json, String[] names, int field,
      CodedInputStream in) throws IOException {
    if (field >= names.length || names[field] == null) {
      return false;
    }
    stringProperty(json, names[field], in.readString());
    return true;
  }

  private static void stringProperty(JsonGenerator json, String name, String value) {
    if (!value.isEmpty()) {
      json.writeStringProperty(name, value);
    }
  }

  private static void numberProperty(JsonGenerator json, String name, long value) {
    if (value != 0) {
      json.writeNumberProperty(name, value);
    }
  }

  private static MalformedProtobufException malformed(String what, Exception e) {
    if (e instanceof MalformedProtobufException m) {
      return m;
    }
    if (e instanceof InvalidProtocolBufferException) {
      return new MalformedProtobufException("the API server's protobuf for " + what
          + " cannot be read: " + e.getMessage(), e);
    }
    // A value out of range (a timestamp no calendar has), or the JSON writer failing.
    return new MalformedProtobufException("cannot turn the API server's protobuf for " + what
        + " into JSON: " + e, e);
  }

  /** For messages: the first bytes of {@code bytes}, printable. */
  static String preview(byte[] bytes, int offset, int length) {
    int n = Math.min(length, 16);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(String.format("%02x", bytes[offset + i] & 0xff));
    }
    return s + (length > n ? "..." : "") + " (" + new String(bytes, offset, n,
        StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", ".") + ")";
  }
}
