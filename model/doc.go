// Package model is the reviewer's state without any screen: the items of one prefix, their
// scores and marks, sort and filter, the cursor remembered per prefix, and what to score
// next. The UI owns it from its single Update loop, so nothing here locks: a List or
// Session must not be used from two goroutines at once.
package model
