// Package preview turns image bytes into something a terminal can show: half-block text
// that works everywhere, or kitty graphics with Unicode placeholders where the terminal
// supports them (kitty, Ghostty, also inside tmux with passthrough).
//
// It does no I/O of its own: callers hand it bytes and terminal replies, and get back
// images and strings. Expensive work (Decode, Fit, Blocks, Transmit) is meant to run in a
// tea.Cmd; Cache and IDs are safe to share between those commands and the UI loop.
package preview
