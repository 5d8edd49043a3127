package io.ninetail.core.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Collects the findings of one validation (confined to the validating thread). */
final class Diagnostics {

    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    void error(String pointer, String message) {
        errors.add(new Diagnostic(pointer, message));
    }

    void warning(String pointer, String message) {
        warnings.add(new Diagnostic(pointer, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    List<Diagnostic> errors() {
        return List.copyOf(errors);
    }

    List<Diagnostic> warnings() {
        return List.copyOf(warnings);
    }

    /** Adds another collector's findings with their pointers rewritten (list form → as submitted). */
    void addAll(Diagnostics other, UnaryOperator<String> pointers) {
        other.errors.forEach(d -> error(pointers.apply(d.pointer()), d.message()));
        other.warnings.forEach(d -> warning(pointers.apply(d.pointer()), d.message()));
    }
}
