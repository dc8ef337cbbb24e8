use netscaler::adc::lb::{Lbvserver, LbvserverServicetype};
use netscaler::testkit::{Fault, NitroServer};
use netscaler::Client;

/// The automation under test: the web virtual server exists, once.
async fn ensure_web_vserver(client: &Client) -> netscaler::Result<()> {
    let wanted = Lbvserver::new("web").servicetype(LbvserverServicetype::Http).ipv46("10.0.0.10").port(80);
    match client.send(wanted.add()).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_already_exists() => Ok(()),
        Err(error) => Err(error),
    }
}

#[tokio::test]
async fn ensure_web_vserver_creates_it_once() {
    let server = NitroServer::start().await.unwrap();
    let client = netscaler::testkit::client(&server).unwrap();

    ensure_web_vserver(&client).await.unwrap();
    ensure_web_vserver(&client).await.unwrap();
    assert_eq!(server.objects("lbvserver").len(), 1);
    assert_eq!(server.object("lbvserver", "web").unwrap()["port"], 80);

    // While the appliance boots it answers 503: the error reaches the caller.
    server.inject(Fault::Unavailable { requests: 1 });
    assert_eq!(ensure_web_vserver(&client).await.unwrap_err().status(), Some(503));
}
