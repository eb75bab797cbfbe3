package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"path/filepath"
	"strings"
)

// MaxScanSize is the largest scan the office keeps (and the hub accepts).
const MaxScanSize = 50 << 20

// ScanFile is a scanned file (bản chụp) chosen by the official and not yet
// stored: a use case stores it in the same transaction as the change it
// belongs to, so a cancelled dialog leaves nothing behind.
type ScanFile struct {
	FileName string // as chosen: "Giay khai sinh.pdf"
	Data     []byte
	// For names the paper (the document line) this scan copies: the scan
	// fills that line's file, it does not add a line of its own.
	For string
}

// NewScanFile checks a chosen file's size and names it.
func NewScanFile(fileName string, data []byte) (ScanFile, error) {
	const op = "Scan"
	switch {
	case len(data) == 0:
		return ScanFile{}, E(op, KindInvalid, MsgScanEmpty)
	case len(data) > MaxScanSize:
		return ScanFile{}, E(op, KindInvalid, fmt.Sprintf("Tệp lớn hơn %s, không đính kèm được", FormatSize(MaxScanSize)))
	}
	return ScanFile{FileName: NFC(filepath.Base(fileName)), Data: data}, nil
}

// SHA256 is the hex digest that names the scan.
func (f ScanFile) SHA256() string {
	h := sha256.Sum256(f.Data)
	return hex.EncodeToString(h[:])
}

// Document is the submitted document this scan copies: its name is the file
// name without the extension.
func (f ScanFile) Document() SubmittedDocument {
	media := mime.TypeByExtension(strings.ToLower(filepath.Ext(f.FileName)))
	if media == "" {
		media = "application/octet-stream"
	}
	if m, ok := scanMedia(f.Data); ok {
		media = m
	}
	if name := NFC(strings.TrimSpace(f.For)); name != "" {
		// A scan of a named paper (a result document): the paper's name.
		return SubmittedDocument{Name: name, FileName: f.FileName, Originals: 1, SHA256: f.SHA256(), Size: int64(len(f.Data)), MediaType: media}
	}
	return SubmittedDocument{Name: strings.TrimSuffix(f.FileName, filepath.Ext(f.FileName)), FileName: f.FileName,
		Photocopies: 1, SHA256: f.SHA256(), Size: int64(len(f.Data)), MediaType: media}
}

// putScans stores the chosen files inside tx and returns the documents
// that refer to them.
func putScans(tx Tx, files []ScanFile) ([]SubmittedDocument, error) {
	var docs []SubmittedDocument
	for _, f := range files {
		d := f.Document()
		if err := tx.PutScan(d.SHA256, f.Data); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// Scan returns a stored scan's content, checked against its digest
// (KindOther when the stored bytes no longer match).
func (s *Service) Scan(sha string) ([]byte, error) {
	var data []byte
	if err := s.store.View(func(tx Tx) (err error) { data, err = tx.Scan(sha); return }); err != nil {
		return nil, err
	}
	if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != sha {
		return nil, E("Scan", KindOther, MsgScanDigest)
	}
	return data, nil
}
