package lint

import (
	"encoding/json"
	"io"
)

// JSON writes the report as one indented JSON object for programs:
//
//	{"findings": [...], "summary": {...}}
//
// Each finding carries the fields of FileFinding under their JSON names (code,
// severity, pointer, message, file, line, column, operationId, apiVersion,
// and direction, in, name, specRef and exchange when set); the summary is
// Summary as is. Findings are sorted, empty lists are [] and never null, and
// <, > and & are written as themselves.
func JSON(w io.Writer, r *Report) error {
	n, err := normalize(r)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(&n)
}
