package model

// CarryOver keeps what old knew of keys that are still the same version (same ETag) in l:
// scores or why there is none, marks, and tags when keepTags. A refresh then redraws only
// what changed, and spends no scoring call on what did not.
func (l *List) CarryOver(old *List, keys []string, keepTags bool) {
	l.carryGroups(old)
	for _, k := range keys {
		was, now := old.byKey[k], l.byKey[k]
		if was == nil || now == nil || was.IsPrefix || now.IsPrefix || was.ETag != now.ETag {
			continue
		}
		switch was.State {
		case Scored:
			l.SetScore(k, now.ETag, was.Scores)
		case Failed:
			l.SetFailed(k, now.ETag, was.ErrKind, was.ErrMessage)
		}
		if was.Marked {
			l.SetMark(k, true)
		}
		if keepTags && was.Tags != nil {
			l.SetTags(k, was.Tags)
		}
	}
}
