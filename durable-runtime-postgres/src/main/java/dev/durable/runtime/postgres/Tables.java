package dev.durable.runtime.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The runtime's table names in the user's schema, and the conversions every statement shares. */
record Tables(String schema) {
    String executions() {
        return schema + ".executions";
    }

    String records() {
        return schema + ".records";
    }

    String callbacks() {
        return schema + ".callbacks";
    }

    String workers() {
        return schema + ".workers";
    }

    /** The LISTEN/NOTIFY channel on which workers hint each other that something fell due. */
    String channel() {
        return "durable_" + schema;
    }

    static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        ps.setObject(index, at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
