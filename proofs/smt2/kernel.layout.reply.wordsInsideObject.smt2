; obligation: kernel.layout.reply.wordsInsideObject
; statement: every reply field word lies inside the object: offset + 8 <= 2^5
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.reply.wordsInsideObject
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun reply () (_ BitVec 64))
(assert
 (bvule reply (_ bv281474976710655 64)))
(assert
 (= (bvand reply (_ bv31 64)) (_ bv0 64)))
(assert
 (let (($x0 (and (bvule reply (bvadd reply (_ bv0 64))) (bvule (bvadd (bvadd reply (_ bv0 64)) (_ bv8 64)) (bvadd reply (_ bv32 64))))))
 (let (($x1 (and (and $x0 (bvule reply (bvadd reply (_ bv8 64)))) (bvule (bvadd (bvadd reply (_ bv8 64)) (_ bv8 64)) (bvadd reply (_ bv32 64))))))
 (let (($x2 (and (and $x1 (bvule reply (bvadd reply (_ bv16 64)))) (bvule (bvadd (bvadd reply (_ bv16 64)) (_ bv8 64)) (bvadd reply (_ bv32 64))))))
 (not $x2)))))
(check-sat)
