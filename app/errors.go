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

// MsgID names a message users see (messages.go holds them all). Its value
// is the Vietnamese text, a fmt template when the message has arguments:
// Vietnamese is the source language, as for the screens' lang.L keys, so
// vi.json maps an ID to itself and en.json to its English. The screens
// translate where they show it (Message.Render); the domain never does.
type MsgID string

// Message is a message ID with its arguments. An argument that is a MsgID,
// a Message or has a Label method (State, Action, Role…) is translated with
// the message, a []Message too (its messages joined with "; "); any other is
// shown as it is (codes, names, numbers).
type Message struct {
	ID   MsgID
	Args []any
}

// M builds a Message.
func M(id MsgID, args ...any) Message { return Message{ID: id, Args: args} }

// Text is the message in Vietnamese.
func (m Message) Text() string { return m.Render(func(s string) string { return s }) }

// Render is the message in the language of tr, which maps a Vietnamese key
// (a MsgID or a label) to its translation.
func (m Message) Render(tr func(string) string) string {
	if m.ID == "" {
		return ""
	}
	t := tr(string(m.ID))
	if len(m.Args) == 0 {
		return t
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case MsgID:
			args[i] = tr(string(v))
		case Message:
			args[i] = v.Render(tr)
		case []Message:
			parts := make([]string, len(v))
			for j, m := range v {
				parts[j] = m.Render(tr)
			}
			args[i] = strings.Join(parts, "; ")
		case interface{ Label() string }:
			args[i] = tr(v.Label())
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(t, args...)
}

// FieldError names one bad input field and what is wrong with it.
type FieldError struct {
	Field string // e.g. "applicant.id_number"
	ID    MsgID  // shown next to the field
	Args  []any
}

// FieldErr builds a FieldError.
func FieldErr(field string, id MsgID, args ...any) FieldError {
	return FieldError{Field: field, ID: id, Args: args}
}

// Message is the field's message with its arguments.
func (f FieldError) Message() Message { return Message{ID: f.ID, Args: f.Args} }

// fieldFrom turns the error of a check (CheckPhone, ValidAgencyCode…) into
// the message of one field.
func fieldFrom(field string, err error) FieldError {
	var e *Error
	if errors.As(err, &e) && e.ID != "" {
		return FieldError{Field: field, ID: e.ID, Args: e.Args}
	}
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return FieldError{Field: field, ID: e.Fields[0].ID, Args: e.Fields[0].Args}
	}
	return FieldError{Field: field, ID: MsgValue}
}

// Error is the one error type of the domain.
type Error struct {
	Op     string       // the use case or operation, e.g. "Receive"
	Kind   Kind         // what went wrong
	ID     MsgID        // the message for the user, may be empty
	Args   []any        // its arguments
	Fields []FieldError // for KindInvalid: the bad fields
	Err    error        // the underlying error, may be nil
}

// Message is the error's message with its arguments.
func (e *Error) Message() Message { return Message{ID: e.ID, Args: e.Args} }

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.ID != "" {
		b.WriteString(": ")
		b.WriteString(e.Message().Text())
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message().Text())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. Arguments are interpreted by type: string → Op (first)
// then the message ID, MsgID → the message ID, Message → the message ID and
// its arguments, Kind → Kind, error → Err, []FieldError / FieldError → Fields.
func E(args ...any) error {
	e := &Error{}
	opSet := false
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if !opSet {
				e.Op, opSet = v, true
			} else {
				e.ID = MsgID(v)
			}
		case MsgID:
			e.ID = v
		case Message:
			e.ID, e.Args = v.ID, v.Args
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

// IDOf reports the message ID of err ("" when err is not an *Error).
func IDOf(err error) MsgID {
	var e *Error
	if errors.As(err, &e) {
		return e.ID
	}
	return ""
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
	return &Error{Op: op, Kind: KindConflict, ID: MsgTransition, Args: []any{a, s},
		Err: &TransitionError{State: s, Action: a}}
}
