using Credentials.Store.Committees;
using Credentials.Store.Writing;
using Credentials.V1;
using Committee = Credentials.Core.Committees.Committee;

namespace Credentials.Server.Committees;

/// <summary>核准备案: storing a newly accredited committee with its ledger event, inside a write.</summary>
public static class CommitteeAccreditation
{
    /// <summary>Stores <paramref name="committee"/> and its CommitteeAccredited event: for CreateCommittee and the seed command.</summary>
    public static Committee Accredit(WriteTransaction tx, Committee committee, string actor)
    {
        var created = committee with { CreatedAt = tx.Now, UpdatedAt = tx.Now };
        CommitteeRepository.Insert(tx.Connection, tx.Transaction, created);
        tx.Ledger.Append(new LedgerEvent
        {
            CommitteeCode = created.Code,
            CommitteeAccredited = new CommitteeAccredited { Committee = CommitteeMapping.ToProto(created) },
        }, actor);
        return created;
    }
}
