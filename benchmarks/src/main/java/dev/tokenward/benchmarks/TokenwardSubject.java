package dev.tokenward.benchmarks;

/** Placeholder until tokenward core's validator lands on main. */
final class TokenwardSubject {
    private TokenwardSubject() {
    }

    static boolean available() {
        return false;
    }

    static Subject create(Material m, Material.Alg alg) {
        throw new UnsupportedOperationException("tokenward core is not available in this build");
    }
}
