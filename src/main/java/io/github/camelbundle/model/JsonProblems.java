package io.github.camelbundle.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.time.Instant;
import java.util.stream.Collectors;

/** What is wrong with a record that Jackson could not read, in one line: shared by the merge and the API. */
public final class JsonProblems {

    private JsonProblems() {
    }

    /** A one-line explanation naming the field and the rule, without Jackson's source excerpt. */
    public static String describe(IOException e) {
        if (e instanceof JsonParseException parse) {
            return "not valid JSON: " + parse.getOriginalMessage() + " at byte " + parse.getLocation().getByteOffset();
        }
        if (e instanceof JsonMappingException mapping) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (field.isEmpty()) {
                return "record: must be a JSON object (" + firstLine(mapping.getOriginalMessage()) + ")";
            }
            Class<?> type = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            String was = mapping instanceof InvalidFormatException invalid ? ", was '" + invalid.getValue() + "'" : "";
            return field + ": must be " + expected(type) + was;
        }
        return firstLine(e.getMessage());
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of the contract's type";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == java.math.BigDecimal.class) {
            return "a decimal number";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining("|"));
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

}
