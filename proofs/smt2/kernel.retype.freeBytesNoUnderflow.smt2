; obligation: kernel.retype.freeBytesNoUnderflow
; statement: the free byte count never exceeds the block (the watermark never passes its end)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.retype.freeBytesNoUnderflow
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun blockBits () (_ BitVec 64))
(declare-fun freeOffset () (_ BitVec 64))
(assert
 (bvule blockBits (_ bv47 64)))
(assert
 (let ((?x0 (bvshl (_ bv1 64) blockBits)))
 (bvule freeOffset ?x0)))
(assert
 (let ((?x0 (bvshl (_ bv1 64) blockBits)))
 (let (($x1 (bvule (bvsub ?x0 freeOffset) ?x0)))
 (not $x1))))
(check-sat)
