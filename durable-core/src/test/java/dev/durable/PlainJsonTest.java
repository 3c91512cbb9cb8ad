package dev.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Type;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The plain values the default serializer handles itself read and write exactly as its mapper would. */
class PlainJsonTest {
    private static final ObjectMapper JACKSON = JsonSerDes.defaultMapper();
    private static final Type[] TYPES = {
        Integer.class, int.class, Long.class, long.class, Boolean.class, boolean.class, String.class
    };

    @Property
    void integersLongsAndBooleansAreWrittenAsJacksonWritesThem(@ForAll int i, @ForAll long l, @ForAll boolean b)
            throws Exception {
        assertSameAsJackson(i, Integer.class);
        assertSameAsJackson(i, int.class);
        assertSameAsJackson(l, Long.class);
        assertSameAsJackson(l, long.class);
        assertSameAsJackson(b, Boolean.class);
    }

    @Property
    void stringsAreWrittenAsJacksonWritesThem(@ForAll("texts") String s) throws Exception {
        assertSameAsJackson(s, String.class);
    }

    @Property
    void anyTextReadsAsJacksonReadsItOrIsLeftToJackson(
            @ForAll("jsonish") String json, @ForAll @IntRange(max = 6) int type) {
        Object plain = PlainJson.read(json, TYPES[type]);
        if (plain == PlainJson.UNREAD) {
            return;
        }
        assertThat(plain).isEqualTo(jackson(json, TYPES[type]));
    }

    @Property
    void everyIntegerBooleanAndShortLongIsReadAndWrittenWithoutJackson(
            @ForAll int i,
            @ForAll @LongRange(min = -999_999_999_999_999_999L, max = 999_999_999_999_999_999L) long l,
            @ForAll boolean b) {
        assertHandledPlainly(i, Integer.class);
        assertHandledPlainly(i, int.class);
        assertHandledPlainly(l, Long.class);
        assertHandledPlainly(l, long.class);
        assertHandledPlainly(b, Boolean.class);
        assertHandledPlainly(b, boolean.class);
    }

    @Property
    void everyStringWithNothingToEscapeIsReadAndWrittenWithoutJackson(
            @ForAll @CharRange(from = ' ', to = '\uffff') String s) {
        Assume.that(s.indexOf('"') < 0 && s.indexOf('\\') < 0);
        assertHandledPlainly(s, String.class);
    }

    @Test
    void theEdgesOfThePlainRangesAreHandledWithoutJackson() {
        for (int i : new int[] {0, 1, -1, 9, -9, 10, Integer.MAX_VALUE, Integer.MIN_VALUE, 1_000_000_000}) {
            assertHandledPlainly(i, Integer.class);
        }
        for (long l : new long[] {0, 9, 123_456_789_012_345_678L, -999_999_999_999_999_999L}) {
            assertHandledPlainly(l, Long.class);
        }
        for (String s : new String[] {"", " ", "a b", "~", "\u007f", "\u00e9", "0123456789"}) {
            assertHandledPlainly(s, String.class);
        }
    }

    @Test
    void whatJacksonWouldReadDifferentlyIsLeftToIt() {
        for (String json : new String[] {"007", "-0", "1.0", " 1", "1 ", "null", "", "-", "+1", "2147483648"}) {
            assertThat(PlainJson.read(json, Integer.class)).as(json).isSameAs(PlainJson.UNREAD);
        }
        assertThat(PlainJson.read("9223372036854775807", Long.class)).isSameAs(PlainJson.UNREAD);
        assertThat(PlainJson.read("\"a\\\"b\"", String.class)).isSameAs(PlainJson.UNREAD);
        assertThat(PlainJson.read("\"tab\there\"", String.class)).isSameAs(PlainJson.UNREAD);
        assertThat(PlainJson.read("True", Boolean.class)).isSameAs(PlainJson.UNREAD);
        assertThat(PlainJson.read("1", Object.class)).isSameAs(PlainJson.UNREAD);
        assertThat(PlainJson.write(null, Integer.class)).isNull();
        assertThat(PlainJson.write(1, Object.class)).isNull();
        assertThat(PlainJson.write("say \"hi\"", String.class)).isNull();
    }

    @Test
    void aSerializerWithAMapperOfItsOwnLeavesEverythingToThatMapper() {
        ObjectMapper quoting = JsonSerDes.defaultMapper()
                .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS);
        assertThat(new JsonSerDes(quoting).serialize(42, Integer.class)).isEqualTo("\"42\"");
        assertThat(JsonSerDes.defaults().serialize(42, Integer.class)).isEqualTo("42");
        assertThat(JsonSerDes.defaults().strict().deserialize("42", Integer.class))
                .isEqualTo(42);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("ab\"\\\n\u00e9\u2028\ud83d").ofMaxLength(8));
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("-0123456789").ofMaxLength(21),
                Arbitraries.strings().withChars("\"ab\\ \t0").ofMaxLength(8),
                Arbitraries.of("true", "false", "null", "\"\"", "\"x\"", "0", "-1", " 1"),
                Arbitraries.strings().ofMaxLength(10));
    }

    private static void assertSameAsJackson(Object value, Type type) throws JsonProcessingException {
        String expected = JACKSON.writerFor(JACKSON.constructType(type)).writeValueAsString(value);
        String plain = PlainJson.write(value, type);
        if (plain != null) {
            assertThat(plain).isEqualTo(expected);
        }
        assertThat(JsonSerDes.defaults().serialize(value, type)).isEqualTo(expected);
        Object read = PlainJson.read(expected, type);
        assertThat(read == PlainJson.UNREAD ? jackson(expected, type) : read).isEqualTo(value);
    }

    private static void assertHandledPlainly(Object value, Type type) {
        String json = PlainJson.write(value, type);
        assertThat(json).as("%s as %s", value, type).isNotNull();
        assertThat(PlainJson.read(json, type)).as(json).isEqualTo(value);
    }

    private static Object jackson(String json, Type type) {
        try {
            return JACKSON.readValue(json, JACKSON.constructType(type));
        } catch (JsonProcessingException e) {
            throw new AssertionError("the plain reading accepted " + json + ", which Jackson refuses", e);
        }
    }
}
