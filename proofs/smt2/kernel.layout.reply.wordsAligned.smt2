; obligation: kernel.layout.reply.wordsAligned
; statement: every reply field word is 8-byte aligned in an object aligned to its 2^5 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.reply.wordsAligned
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun reply () (_ BitVec 64))
(assert
 (bvule reply (_ bv281474976710655 64)))
(assert
 (= (bvand reply (_ bv31 64)) (_ bv0 64)))
(assert
 (let (($x0 (and (= (bvand (bvadd reply (_ bv0 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd reply (_ bv8 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x1 (and $x0 (= (bvand (bvadd reply (_ bv16 64)) (_ bv7 64)) (_ bv0 64)))))
 (not $x1))))
(check-sat)
