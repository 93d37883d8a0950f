package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// rawRows reads a query's rows straight from the driver: a million-row Load
// spends a large share of its time in database/sql's per-value conversion
// and locking, which a known, NOT NULL column layout does not need. Values
// are checked by type assertion; the first mismatch stops the scan.
type rawRows struct {
	rows driver.Rows
	dest []driver.Value
	err  error
}

// rawQuery runs query with integer arguments on a driver connection (from
// sql.Conn.Raw).
func rawQuery(ctx context.Context, dc any, query string, args ...int64) (*rawRows, error) {
	qc, ok := dc.(driver.QueryerContext)
	if !ok {
		return nil, errors.New("driver connection cannot run queries directly")
	}
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := qc.QueryContext(ctx, query, named)
	if err != nil {
		return nil, err
	}
	return &rawRows{rows: rows, dest: make([]driver.Value, len(rows.Columns()))}, nil
}

// next advances to the next row; false at the end or on an error (see Err).
func (r *rawRows) next() bool {
	if r.err != nil {
		return false
	}
	if err := r.rows.Next(r.dest); err != nil {
		if err != io.EOF {
			r.err = err
		}
		return false
	}
	return true
}

// int returns column i of the current row as an integer.
func (r *rawRows) int(i int) int64 {
	switch v := r.dest[i].(type) {
	case int64:
		return v
	case nil:
		return 0
	}
	r.fail(i)
	return 0
}

// str returns column i of the current row as a string.
func (r *rawRows) str(i int) string {
	switch v := r.dest[i].(type) {
	case string:
		return v
	case nil:
		return ""
	case []byte:
		return string(v)
	}
	r.fail(i)
	return ""
}

// bytes returns column i of the current row as bytes (a BLOB; empty for
// NULL or an empty BLOB). They are the driver's copy, owned by the caller.
func (r *rawRows) bytes(i int) []byte {
	switch v := r.dest[i].(type) {
	case []byte:
		return v
	case nil:
		return nil
	}
	r.fail(i)
	return nil
}

// null reports whether column i of the current row is NULL.
func (r *rawRows) null(i int) bool { return r.dest[i] == nil }

func (r *rawRows) fail(i int) {
	if r.err == nil {
		r.err = fmt.Errorf("column %s holds %T, not the type the loader expects", r.rows.Columns()[i], r.dest[i])
	}
}

// Err returns the first error met by next or a typed read.
func (r *rawRows) Err() error { return r.err }

// Close releases the statement.
func (r *rawRows) Close() error { return r.rows.Close() }
