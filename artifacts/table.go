package artifacts

import "fmt"

// Kind is the logical type of a Column. Each Kind maps to exactly one Arrow
// and one Parquet type (docs/schema.md lists them); there is no other way for
// a stage to put a column into the store.
type Kind int

const (
	Int64   Kind = iota // arrow int64
	Float32             // arrow float32 (trajectories, weights)
	Float64             // arrow float64 (metrics)
	String              // arrow utf8
	Dict                // arrow dictionary<int32, utf8>: categoricals
	Bool                // arrow bool
)

func (k Kind) String() string {
	switch k {
	case Int64:
		return "int64"
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	case String:
		return "string"
	case Dict:
		return "dictionary<int32,string>"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// A Column is one named, typed column. Exactly the slice matching Kind is
// used; Dict and String share Strs.
type Column struct {
	Name  string
	Kind  Kind
	Ints  []int64
	F32   []float32
	F64   []float64
	Strs  []string
	Bools []bool
}

// Len is the number of rows in c.
func (c *Column) Len() int {
	switch c.Kind {
	case Int64:
		return len(c.Ints)
	case Float32:
		return len(c.F32)
	case Float64:
		return len(c.F64)
	case String, Dict:
		return len(c.Strs)
	case Bool:
		return len(c.Bools)
	}
	return 0
}

// A Table is what a stage writes as one output: columns of equal length, rows
// already in their canonical (sorted) order. Rows are never reordered by the
// writer: the stage owns the order, and the same inputs give the same order.
type Table struct {
	Columns []Column
}

// Rows is the number of rows; Validate checks the columns agree.
func (t *Table) Rows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Validate reports a table whose columns differ in length or repeat a name.
func (t *Table) Validate() error {
	seen := make(map[string]bool, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Name == "" {
			return fmt.Errorf("table: column %d has no name", i)
		}
		if seen[c.Name] {
			return fmt.Errorf("table: column %q repeated", c.Name)
		}
		seen[c.Name] = true
		if c.Len() != t.Rows() {
			return fmt.Errorf("table: column %q has %d rows, want %d", c.Name, c.Len(), t.Rows())
		}
	}
	return nil
}

// Col returns the named column, or nil.
func (t *Table) Col(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Column constructors, so stage code reads as a schema.

func Int64Col(name string, v []int64) Column     { return Column{Name: name, Kind: Int64, Ints: v} }
func Float32Col(name string, v []float32) Column { return Column{Name: name, Kind: Float32, F32: v} }
func Float64Col(name string, v []float64) Column { return Column{Name: name, Kind: Float64, F64: v} }
func StringCol(name string, v []string) Column   { return Column{Name: name, Kind: String, Strs: v} }
func DictCol(name string, v []string) Column     { return Column{Name: name, Kind: Dict, Strs: v} }
func BoolCol(name string, v []bool) Column       { return Column{Name: name, Kind: Bool, Bools: v} }
