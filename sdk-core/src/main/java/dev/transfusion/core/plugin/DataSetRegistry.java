package dev.transfusion.core.plugin;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.DataSetProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Answers data sets by the name {@code --data} gives; refuses two data sets that claim one name. */
public final class DataSetRegistry {
    /** What a name may look like: it must survive {@code --data a,b} and a path test. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Map<String, DataSetProvider> byName;

    /** A registry of the given data sets only. */
    public DataSetRegistry(List<? extends DataSetProvider> providers) {
        Map<String, DataSetProvider> map = new TreeMap<>();
        for (DataSetProvider p : providers) {
            if (!NAME.matcher(p.name()).matches()) {
                throw new PluginException("data set " + p.getClass().getName() + " has the name '" + p.name()
                        + "'; expected lower case letters, digits and '-'");
            }
            DataSetProvider prior = map.putIfAbsent(p.name(), p);
            if (prior != null) {
                throw new PluginException("data set '" + p.name() + "' is claimed twice: by "
                        + prior.getClass().getName() + " and " + p.getClass().getName()
                        + "; remove one jar from the class path");
            }
        }
        this.byName = Map.copyOf(map);
    }

    /** The data sets on the class path, found by {@link ServiceLoader}. */
    public static DataSetRegistry fromClassPath() {
        List<DataSetProvider> found = new ArrayList<>();
        Iterator<DataSetProvider> it = ServiceLoader.load(DataSetProvider.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                throw new PluginException("cannot load a data set provider: " + e.getMessage(), e);
            }
        }
        return new DataSetRegistry(found);
    }

    /** The registered names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** The data set called {@code name}, if one is registered. */
    public Optional<DataSetProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The data set called {@code name}.
     *
     * @throws InvalidInputException naming the registered data sets when none is called so
     */
    public DataSetProvider get(String name) {
        DataSetProvider p = byName.get(name);
        if (p == null) {
            throw new InvalidInputException("no data set '" + name + "'; registered: " + registeredNames());
        }
        return p;
    }

    /**
     * The data set that {@code entry} names: {@code NAME} exactly, or {@code NAME:ARGUMENT} with a registered
     * NAME (the argument is everything after the first colon); empty when no registered name matches, e.g. a path.
     */
    public Optional<DataSetSpec> findSpec(String entry) {
        DataSetProvider exact = byName.get(entry);
        if (exact != null) {
            return Optional.of(new DataSetSpec(exact, ""));
        }
        int colon = entry.indexOf(':');
        DataSetProvider named = colon > 0 ? byName.get(entry.substring(0, colon)) : null;
        return named == null ? Optional.empty() : Optional.of(new DataSetSpec(named, entry.substring(colon + 1)));
    }

    /**
     * The data set that {@code entry} names, as {@link #findSpec}.
     *
     * @throws InvalidInputException naming the registered data sets when none is called so
     */
    public DataSetSpec getSpec(String entry) {
        return findSpec(entry).orElseThrow(() -> new InvalidInputException("no data set '" + entry
                + "'; registered: " + registeredNames()));
    }

    /** The names for an error message, or what to do when there are none. */
    public String registeredNames() {
        return byName.isEmpty() ? "none (is a data set jar, e.g. dataset-shapes, on the class path?)"
                : String.join(", ", names());
    }
}
