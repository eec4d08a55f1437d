; obligation: kernel.fastpath.messageInfo.acceptsExactlyRegisterMessages
; statement: for every message-info word, fastpath_mi_check passes iff the slowpath's decode (length clamped to 120) has no extra caps and a length of at most n_msgRegisters (4): the messages the slowpath transfers without the IPC buffer
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.fastpath.messageInfo.acceptsExactlyRegisterMessages
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x28 (not (bvult (_ bv4 64) (bvand word (_ bv511 64))))))
 (let ((?x20 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let (($x31 (and (= (bvand (bvlshr word (_ bv7 64)) (_ bv3 64)) (_ bv0 64)) (bvule (ite (bvult (_ bv120 64) ?x20) (_ bv120 64) ?x20) (_ bv4 64)))))
 (let (($x36 (and (or (not $x28) $x31) (or (not $x31) $x28))))
 (not $x36))))))
(check-sat)
