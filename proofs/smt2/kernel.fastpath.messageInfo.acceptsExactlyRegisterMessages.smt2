; obligation: kernel.fastpath.messageInfo.acceptsExactlyRegisterMessages
; statement: for every message-info word, fastpath_mi_check passes iff the slowpath's decode (length clamped to 120) has no extra caps and a length of at most n_msgRegisters (4): the messages the slowpath transfers without the IPC buffer
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.fastpath.messageInfo.acceptsExactlyRegisterMessages
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (not (bvult (_ bv4 64) (bvand word (_ bv511 64))))))
 (let ((?x1 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let (($x2 (and (= (bvand (bvlshr word (_ bv7 64)) (_ bv3 64)) (_ bv0 64)) (bvule (ite (bvult (_ bv120 64) ?x1) (_ bv120 64) ?x1) (_ bv4 64)))))
 (let (($x3 (and (or (not $x0) $x2) (or (not $x2) $x0))))
 (not $x3))))))
(check-sat)
