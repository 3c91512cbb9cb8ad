package dev.durable.agent;

import java.util.List;

/**
 * Which classes the agent looks at: the JDK, ByteBuddy and Durable's own modules never; of the rest, only class
 * files that mention Durable's annotations at all, which a byte search tells before anything is parsed.
 */
final class Candidates {
    /** Packages never woven, as binary-name prefixes. */
    static final List<String> IGNORED_PACKAGES = List.of(
            "java.",
            "javax.",
            "jdk.",
            "sun.",
            "com.sun.",
            // built at run time: the shade plugin would rewrite a "net.bytebuddy" literal to our relocated package
            String.join(".", "net", "bytebuddy", ""),
            "dev.durable.spi.",
            "dev.durable.internal.",
            "dev.durable.runtime.",
            "dev.durable.agent.",
            "dev.durable.annotations.",
            "dev.durable.processor.");

    private static final String[] IGNORED_INTERNAL = internalForms(IGNORED_PACKAGES);
    private static final byte[] ANNOTATIONS =
            "dev/durable/annotations/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Candidates() {}

    /** Whether the class named {@code binaryName} is in a package the agent never weaves. */
    static boolean ignored(String binaryName) {
        if (inApiPackage(binaryName, '.')) {
            return true;
        }
        for (String prefix : IGNORED_PACKAGES) {
            if (binaryName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the class file {@code internalName} (slashes), defined by {@code loader}, may declare durable methods:
     * outside the ignored packages and naming a Durable annotation in its constant pool. A superset; ByteBuddy's
     * matchers decide exactly.
     */
    static boolean mayDeclareDurableMethods(ClassLoader loader, String internalName, byte[] classFile) {
        if (loader == null || internalName == null) {
            return false;
        }
        if (inApiPackage(internalName, '/')) {
            return false;
        }
        for (String prefix : IGNORED_INTERNAL) {
            if (internalName.startsWith(prefix)) {
                return false;
            }
        }
        return contains(classFile, ANNOTATIONS);
    }

    /** Whether the class is directly in the API package {@code dev.durable} (not in a package below it). */
    private static boolean inApiPackage(String name, char separator) {
        String api = "dev" + separator + "durable" + separator;
        return name.startsWith(api) && name.indexOf(separator, api.length()) < 0;
    }

    // loops, not streams or lambdas: this runs in premain, where each first lambda costs milliseconds
    private static String[] internalForms(List<String> packages) {
        String[] internal = new String[packages.size()];
        for (int i = 0; i < internal.length; i++) {
            internal[i] = packages.get(i).replace('.', '/');
        }
        return internal;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            int j = 1;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return true;
            }
        }
        return false;
    }
}
