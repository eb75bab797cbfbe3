package app

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error so that the UI can choose a Vietnamese message and
// the hub a problem+json status without parsing text.
type Kind int

const (
	KindOther      Kind = iota // an unexpected failure
	KindInvalid                // bad input: a field, a value, a transition
	KindNotFound               // no such record
	KindConflict               // state or uniqueness conflict (includes invalid transitions)
	KindPermission             // the user lacks the role
	KindTransient              // try again later (network, busy database)
	KindLocked                 // the database or an account is locked
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindPermission:
		return "permission denied"
	case KindTransient:
		return "transient"
	case KindLocked:
		return "locked"
	}
	return "error"
}

// FieldError names one bad input field with a message key (see resources/translations).
type FieldError struct {
	Field string // e.g. "applicant.id_number"
	Msg   string // Vietnamese message shown next to the field
}

// Error is the one error type of the domain.
type Error struct {
	Op     string       // the use case or operation, e.g. "Receive"
	Kind   Kind         // what went wrong
	Msg    string       // a Vietnamese sentence for the user, may be empty
	Fields []FieldError // for KindInvalid: the bad fields
	Err    error        // the underlying error, may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. Arguments are interpreted by type: string → Op (first) then
// Msg, Kind → Kind, error → Err, []FieldError / FieldError → Fields.
func E(args ...any) error {
	e := &Error{}
	opSet := false
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if !opSet {
				e.Op, opSet = v, true
			} else {
				e.Msg = v
			}
		case Kind:
			e.Kind = v
		case FieldError:
			e.Fields = append(e.Fields, v)
		case []FieldError:
			e.Fields = append(e.Fields, v...)
		case error:
			e.Err = v
			var inner *Error
			if e.Kind == KindOther && errors.As(v, &inner) {
				e.Kind = inner.Kind
			}
		}
	}
	return e
}

// KindOf reports the Kind of err (KindOther when err is not an *Error).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// Is reports whether err is an *Error of the given kind.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// TransitionError is returned when an action is not allowed in a dossier's
// current state. It is also an *Error of KindConflict (errors.As works for both).
type TransitionError struct {
	State  State
	Action Action
}

func (t *TransitionError) Error() string {
	return fmt.Sprintf("action %q is not allowed in state %q", t.Action, t.State)
}

// ErrTransition builds the typed error for a refused transition.
func ErrTransition(op string, s State, a Action) error {
	return &Error{Op: op, Kind: KindConflict,
		Msg: fmt.Sprintf("Không thể thực hiện \"%s\" khi hồ sơ đang ở trạng thái \"%s\"", a.Label(), s.Label()),
		Err: &TransitionError{State: s, Action: a}}
}
