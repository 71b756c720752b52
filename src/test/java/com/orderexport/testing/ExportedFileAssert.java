package com.orderexport.testing;

import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.Assertions;

/** Assertions on an export's CSV file: {@code assertThat(file).hasRows(2)}, {@code .isByteIdenticalTo(other)}. */
public final class ExportedFileAssert extends AbstractObjectAssert<ExportedFileAssert, ExportedFile> {

    ExportedFileAssert(ExportedFile actual) {
        super(actual, ExportedFileAssert.class);
    }

    /** This many records after the header. */
    public ExportedFileAssert hasRows(int expected) {
        isNotNull();
        if (actual.rowCount() != expected) {
            failWithActualExpectedAndMessage(actual.rowCount(), expected,
                    "Expected %s rows after the header but the file has %s", expected, actual.rowCount());
        }
        return this;
    }

    /** Exactly the orders with these ids, in this order, after the header. */
    public ExportedFileAssert hasIds(String... expected) {
        return hasIds(List.of(expected));
    }

    public ExportedFileAssert hasIds(List<String> expected) {
        isNotNull();
        Assertions.assertThat(actual.ids()).as("the order ids of the file").containsExactlyElementsOf(expected);
        return this;
    }

    /** The very same bytes: what a client downloads cannot tell the two exports apart. */
    public ExportedFileAssert isByteIdenticalTo(ExportedFile expected) {
        isNotNull();
        byte[] mine = actual.bytes();
        byte[] theirs = expected.bytes();
        int at = Arrays.mismatch(mine, theirs);
        if (at >= 0) {
            failWithMessage("Expected the file to be byte-identical to the other (%d bytes) but it (%d bytes) differs "
                    + "from byte %d on", theirs.length, mine.length, at);
        }
        return this;
    }
}
