package io.streamdown.enrich.streams;

import io.streamdown.schemas.Json;
import io.streamdown.schemas.Reference;
import io.streamdown.support.RecordParser;
import java.util.Map;

/**
 * Reads a {@link Reference} from the {@code reference} topic. A null value is a tombstone and
 * parses to null (the source's reference data is deleted). Rejected: a null key (a table cannot
 * hold it), invalid JSON, a {@code source} field that contradicts the key, and attributes that
 * are not a flat map of at most {@link Reference#MAX_ATTRIBUTES} strings, numbers or booleans
 * (they are copied onto every event of the source, and grouped on downstream). A missing
 * {@code source} field is taken from the key.
 */
final class ReferenceParser implements RecordParser<Reference> {

  @Override
  public Reference parse(String key, byte[] value) throws InvalidRecordException {
    if (key == null) {
      throw new InvalidRecordException("key: is required (the source the reference describes)");
    }
    if (value == null) {
      return null;
    }
    Reference reference = Json.read(value, Reference.class);
    if (reference == null) {
      throw new InvalidRecordException(
          "value: JSON null is not a reference; delete with a tombstone (a null value)");
    }
    if (reference.source() != null && !reference.source().equals(key)) {
      throw new InvalidRecordException(
          "key: must equal the reference's source, was '%s' for source '%s'"
              .formatted(key, reference.source()));
    }
    Map<String, Object> attributes = reference.attributes();
    if (attributes.size() > Reference.MAX_ATTRIBUTES) {
      throw new InvalidRecordException(
          "attributes: at most " + Reference.MAX_ATTRIBUTES + " entries");
    }
    for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
      Object v = attribute.getValue();
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw new InvalidRecordException(
            "attributes." + attribute.getKey() + ": must be a string, number or boolean");
      }
    }
    return reference.source() == null
        ? new Reference(key, attributes, reference.updatedAt())
        : reference;
  }
}
