package io.pgha.provision.unit;

/** The systemd specifiers units use in practice: %p, %n, %N, %i, %H, %%. */
record Specifiers(String unitName, String hostName) {

    String expand(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        String base = unitName.endsWith(".service") ? unitName.substring(0, unitName.length() - 8) : unitName;
        int at = base.indexOf('@');
        String prefix = at < 0 ? base : base.substring(0, at);
        String instance = at < 0 ? "" : base.substring(at + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char s = value.charAt(++i);
            switch (s) {
                case 'p' -> out.append(prefix);
                case 'n' -> out.append(unitName);
                case 'N' -> out.append(base);
                case 'i', 'I' -> out.append(instance);
                case 'H' -> out.append(hostName);
                case '%' -> out.append('%');
                default -> throw new UnitException(unitName + ": specifier %" + s + " is not supported by pgha unit");
            }
        }
        return out.toString();
    }
}
