// Package curation makes journaled changes to a bucket through the wire client: tags
// (pick/reject verdicts and quick tags), soft deletes to the trash, hard deletes,
// promotion to another prefix or bucket, undo and resume. Every call is a batch run by one
// engine (batch.go): each step's intent is fsync'd to the journal before anything changes,
// steps run on a bounded pool, a move deletes its original only once the copy is verified,
// and every key ends up reported and journaled as done or failed. It knows no screen.
package curation
