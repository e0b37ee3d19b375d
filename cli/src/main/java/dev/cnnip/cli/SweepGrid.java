package dev.cnnip.cli;

import dev.cnnip.hw.HwConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grid of a {@code --sweep key=v1,v2,…} (repeatable): every combination of the values, the first
 * key varying slowest. Every value is checked against the base configuration when the grid is built,
 * so a bad one is reported (one line naming the parameter and its range) before anything is compiled.
 *
 * @param keys   the swept keys, in the order given
 * @param points per point, the values of {@link #keys} in order
 */
record SweepGrid(List<String> keys, List<List<String>> points) {
    SweepGrid {
        keys = List.copyOf(keys);
        points = points.stream().map(List::copyOf).toList();
    }

    /** Parses the {@code --sweep} arguments and validates each value on {@code base}. */
    static SweepGrid parse(List<String> specs, HwConfig base) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("--sweep '" + s + "': expected KEY=V1,V2,...");
            }
            String key = s.substring(0, eq).trim();
            if (axes.containsKey(key)) throw new IllegalArgumentException("--sweep " + key + " is given twice");
            List<String> values = new ArrayList<>();
            for (String v : s.substring(eq + 1).split(",", -1)) {
                String t = v.trim();
                if (t.isEmpty()) throw new IllegalArgumentException("--sweep '" + s + "': empty value");
                base.withOverride(key + "=" + t); // throws naming the key and its range
                values.add(t);
            }
            axes.put(key, values);
        }
        List<List<String>> points = new ArrayList<>();
        points.add(List.of());
        for (List<String> values : axes.values()) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> p : points) {
                for (String v : values) {
                    List<String> q = new ArrayList<>(p);
                    q.add(v);
                    next.add(q);
                }
            }
            points = next;
        }
        return new SweepGrid(new ArrayList<>(axes.keySet()), points);
    }

    /** The configuration of point {@code i}: {@code base} with that point's values. */
    HwConfig config(HwConfig base, int i) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) o.put(keys.get(k), points.get(i).get(k));
        return base.withOverrides(o);
    }

    int size() {
        return points.size();
    }
}
