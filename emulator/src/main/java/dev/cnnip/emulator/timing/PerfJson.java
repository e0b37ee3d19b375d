package dev.cnnip.emulator.timing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * {@link PerfReport} as JSON: the record components as properties, in declaration order, pretty
 * printed with {@code \n} line ends. The same report always gives the same text; {@link #read} parses
 * it back.
 */
public final class PerfJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private PerfJson() {}

    public static String write(PerfReport r) {
        try {
            return MAPPER.writer().withDefaultPrettyPrinter().writeValueAsString(r).replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("perf report is always serializable", e);
        }
    }

    public static PerfReport read(String json) {
        try {
            return MAPPER.readValue(json, PerfReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a perf report: " + e.getOriginalMessage(), e);
        }
    }
}
